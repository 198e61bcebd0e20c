// Resource Graph: the bulk path across many subscriptions. Raw POST through the authenticated ARM
// pipeline (the SDK's @azure/arm-resourcegraph versions either need Node 22 or mishandle paging/429),
// following Microsoft's guidance (docs/OPERATIONS.md, "Resource Graph limits"):
// - subscriptions in batches of SUBSCRIPTIONS_PER_REQUEST (the API takes at most 1,000; the guidance
//   recommends groups below 300);
// - an explicit `$top` (≤ 1,000; the default page is 100) and `resultFormat`, `$skipToken` paging, and
//   `id` in every `project` (without it Resource Graph returns no `$skipToken`);
// - pacing from `x-ms-user-quota-remaining` / `x-ms-user-quota-resets-after` before a 429 happens (the
//   quota is per principal, so one pacer per client); a 429 with Retry-After is retried by the pipeline.
// Assessments come from `securityresources`; resource tags (which assessments do not carry) from `resources`.
import "server-only";
import { z } from "zod";
import type { RawRequest, RawResponse } from "./client";
import { type AzureAssessment, assessmentOf, ZRawAssessmentProperties, ZResourceGraphResponse } from "./schemas";
import { AppError } from "@/lib/http/errors";

export const RESOURCE_GRAPH_API_VERSION = "2024-04-01";

type Raw = <T>(request: RawRequest<T>) => Promise<RawResponse<T | undefined>>;

/** `invalid`: entries of `data` that are not objects (bad data from the API, kept for the caller to report). */
export type ResourceGraphPage = { rows: Record<string, unknown>[]; invalid: unknown[]; totalRecords: number };

const isRow = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A resource's tags as Resource Graph holds them; `id` as Resource Graph spells it (compare case-insensitively). */
export type ResourceTags = { id: string; tags: Record<string, string> };

/** A row that could not be read: reported by the caller, then skipped (one odd row never fails a page). */
export type ResourceGraphOddRow = { id: string | null; reason: string; sample: string };

export type ResourceTagsPage = { rows: ResourceTags[]; skipped: ResourceGraphOddRow[]; totalRecords: number };

export type ResourceTagsOptions = {
  /** Only these resources (`where id in~ (…)`, 200 ids per query); default: every resource of the subscriptions. */
  resourceIds?: string[];
  pageSize?: number;
};

export type ResourceGraphQueryOptions = {
  /** Scope; batched by SUBSCRIPTIONS_PER_REQUEST. Omitted = every subscription the principal can read. */
  subscriptions?: string[];
  /** Rows per page (`$top`, 1..1000); default 1000. */
  top?: number;
  /** Older name of `top`. */
  pageSize?: number;
};

export type ResourceGraphApi = {
  /** Runs a KQL query (per batch of subscriptions) and yields one page of rows at a time. */
  query(query: string, options?: ResourceGraphQueryOptions): AsyncGenerator<ResourceGraphPage>;
  /** All Defender assessments of the given subscriptions (securityresources), normalized. */
  assessments(subscriptions: string[], options?: { pageSize?: number }): AsyncGenerator<AzureAssessment[]>;
  /**
   * Regulatory compliance of the given subscriptions from `securityresources` (standards, then controls,
   * then assessments; three queries per batch instead of one ARM listing per standard and per control).
   */
  regulatoryCompliance(subscriptions: string[], options?: { top?: number }): AsyncGenerator<ComplianceRow[]>;
  /** Secure scores and their controls (`microsoft.security/securescores[/securescorecontrols]`) of the subscriptions. */
  secureScores(subscriptions: string[], options?: { top?: number }): AsyncGenerator<SecureScoreRow[]>;
  /** Tags of the resources of the given subscriptions (`resources | … | project id, tags`), one page at a time. */
  resourceTags(subscriptions: string[], options?: ResourceTagsOptions): AsyncGenerator<ResourceTagsPage>;
};

export const ASSESSMENTS_QUERY = `securityresources | where type == "microsoft.security/assessments"`;

/**
 * Subscriptions per request. Resource Graph refuses more than 1,000, and Microsoft's throttling guidance
 * recommends batching in groups "less than 300"; 250 stays below that with a round number, keeps the
 * body small (~10 KB of ids), and still covers 2,500 subscriptions in 10 requests (within the documented
 * example quota of 15 per 5 seconds when every batch fits one page).
 */
export const SUBSCRIPTIONS_PER_REQUEST = 250;
/** The most rows one response may hold (`$top` maximum). */
export const MAX_TOP = 1000;

/** Quota headers of one Resource Graph response: `x-ms-user-quota-resets-after` is hh:mm:ss(.fff). */
export function parseQuotaHeaders(headers: Record<string, string>): { remaining: number; resetsAfterMs: number } | null {
  const remaining = Number(headers["x-ms-user-quota-remaining"]);
  const m = /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(headers["x-ms-user-quota-resets-after"] ?? "");
  if (!Number.isFinite(remaining) || !m) return null;
  return { remaining, resetsAfterMs: Math.ceil((Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000) };
}

export type QuotaPacer = {
  /** Waits, if the last answer said the quota is spent, until it resets; then counts the request as in flight. */
  acquire(): Promise<void>;
  /** The answer to an acquired request (its headers; `{}` when it failed without an answer). */
  observe(headers: Record<string, string>): void;
  /** What the pacing did so far (for run counters and docs/PERFORMANCE.md). */
  stats(): { requests: number; waits: number; waitedMs: number; lowestRemaining: number | null };
};

/**
 * Paces Resource Graph requests of one principal. The quota is shared by everything that principal does,
 * so the pacer trusts the server's count (each answer) and only counts its own requests in between.
 * Requests run concurrently (the assessment pass, and secure scores and compliance read alongside it): an
 * answer's count cannot include requests still in flight, so they are taken off it — otherwise two streams
 * both spend the last unit and one of them meets a 429.
 */
export function createQuotaPacer(
  options: { now?: () => number; sleep?: (ms: number) => Promise<void>; marginMs?: number } = {},
): QuotaPacer {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const marginMs = options.marginMs ?? 100;
  let remaining: number | null = null;
  let resetsAt = 0;
  let inFlight = 0;
  const stats = { requests: 0, waits: 0, waitedMs: 0, lowestRemaining: null as number | null };
  return {
    async acquire() {
      for (;;) {
        const t = now();
        if (remaining !== null && t >= resetsAt) remaining = null;
        if (remaining === null || remaining > 0) break;
        const wait = resetsAt - t + marginMs;
        stats.waits++;
        stats.waitedMs += wait;
        await sleep(wait);
        remaining = null;
      }
      if (remaining !== null) remaining--;
      inFlight++;
      stats.requests++;
    },
    observe(headers) {
      inFlight = Math.max(0, inFlight - 1);
      const quota = parseQuotaHeaders(headers);
      if (!quota) return;
      remaining = Math.max(0, quota.remaining - inFlight);
      resetsAt = now() + quota.resetsAfterMs;
      stats.lowestRemaining = stats.lowestRemaining === null ? quota.remaining : Math.min(stats.lowestRemaining, quota.remaining);
    },
    stats: () => ({ ...stats }),
  };
}

/**
 * Adds `id` to a query whose last stage is a `project` without it: Resource Graph pages only results that
 * carry `id` (no `$skipToken` otherwise). Other shapes (summarize, count) are single-page answers.
 */
export function withIdProjected(kql: string): string {
  // The last pipe outside string literals starts the last stage.
  let last = -1;
  let quote: string | null = null;
  for (let i = 0; i < kql.length; i++) {
    const ch = kql[i]!;
    if (quote) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === "|") last = i;
  }
  if (last < 0) return kql;
  const stage = kql.slice(last + 1);
  const m = /^(\s*project\s+)(.*)$/s.exec(stage);
  if (!m) return kql;
  const columns = m[2]!.split(",").map((c) => c.trim());
  if (columns.some((c) => /^id(\s*=.*)?$/i.test(c))) return kql;
  return `${kql.slice(0, last + 1)}${m[1]}id, ${m[2]}`;
}

/** Resource Graph types (lower case) of regulatory compliance in `securityresources`. */
export const COMPLIANCE_TYPES = {
  standard: "microsoft.security/regulatorycompliancestandards",
  control: "microsoft.security/regulatorycompliancestandards/regulatorycompliancecontrols",
  assessment: "microsoft.security/regulatorycompliancestandards/regulatorycompliancecontrols/regulatorycomplianceassessments",
} as const;

/** One regulatory compliance resource; names come from its id (Resource Graph rows carry only `name`). */
export type ComplianceRow = {
  kind: keyof typeof COMPLIANCE_TYPES;
  subscriptionId: string;
  standardName: string;
  controlName: string | null;
  name: string;
  properties: Record<string, unknown>;
};

const COMPLIANCE_ID =
  /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Security\/regulatoryComplianceStandards\/([^/]+)(?:\/regulatoryComplianceControls\/([^/]+)(?:\/regulatoryComplianceAssessments\/([^/]+))?)?$/i;

/** Reads a compliance row; null when its id does not match its kind (reported by the caller). */
export function readComplianceRow(kind: ComplianceRow["kind"], row: Record<string, unknown>): ComplianceRow | null {
  const m = typeof row.id === "string" ? COMPLIANCE_ID.exec(row.id) : null;
  if (!m || typeof row.properties !== "object" || row.properties === null) return null;
  const [, subscriptionId, standardName, controlName, assessmentName] = m;
  const depth = assessmentName ? "assessment" : controlName ? "control" : "standard";
  if (depth !== kind) return null;
  return {
    kind,
    subscriptionId: subscriptionId!.toLowerCase(),
    standardName: decodeURIComponent(standardName!),
    controlName: controlName ? decodeURIComponent(controlName) : null,
    name: decodeURIComponent(assessmentName ?? controlName ?? standardName!),
    properties: row.properties as Record<string, unknown>,
  };
}

/** Resource Graph types (lower case) of the secure score in `securityresources` (documented in Microsoft's secure score article). */
export const SECURE_SCORE_TYPES = {
  score: "microsoft.security/securescores",
  control: "microsoft.security/securescores/securescorecontrols",
} as const;

/** A secure score or control row with properties flattened as the SDK flattens them (score.max → max, …). */
export type SecureScoreRow = { kind: keyof typeof SECURE_SCORE_TYPES; subscriptionId: string; item: Record<string, unknown> };

const SCORE_ID = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Security\/secureScores\/[^/]+(\/secureScoreControls\/[^/]+)?$/i;

/** Reads a secure score row; null when its id does not match its kind. */
export function readSecureScoreRow(kind: SecureScoreRow["kind"], row: Record<string, unknown>): SecureScoreRow | null {
  const m = typeof row.id === "string" ? SCORE_ID.exec(row.id) : null;
  if (!m || typeof row.name !== "string" || typeof row.properties !== "object" || row.properties === null) return null;
  if ((kind === "control") !== Boolean(m[2])) return null;
  const p = row.properties as Record<string, unknown>;
  const score = (typeof p.score === "object" && p.score !== null ? p.score : {}) as Record<string, unknown>;
  const definition = typeof p.definition === "object" && p.definition !== null ? (p.definition as Record<string, unknown>) : null;
  const item: Record<string, unknown> = {
    ...p,
    id: row.id,
    name: row.name,
    max: score.max,
    current: score.current,
    percentage: score.percentage,
  };
  delete item.score;
  // The SDK flattens definition.properties; a row that carries the definition whole is read the same way.
  if (definition)
    item.definition = typeof definition.properties === "object" && definition.properties !== null ? definition.properties : definition;
  return { kind, subscriptionId: m[1]!.toLowerCase(), item };
}

/** Ids per `where id in~ (…)` query: ~150-character ARM ids keep a query near 30 KB. */
export const TAG_IDS_PER_QUERY = 200;

/** A KQL string literal (single quotes; backslash and quote escaped). */
export function kqlString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** Azure tags are strings; a missing or null tag object means no tags. */
const ZResourceTagsRow = z.object({
  id: z
    .string()
    .trim()
    .regex(/^\/subscriptions\/[^/]+\/.+/i, "not an ARM resource id"),
  tags: z.record(z.string(), z.string()).nullish(),
});

function sampleOf(item: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(item) ?? String(item);
  } catch {
    text = String(item);
  }
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

/** Checks each row on its own: the readable ones, and the others with a reason. */
export function readTagRows(page: ResourceGraphPage): ResourceTagsPage {
  const rows: ResourceTags[] = [];
  const skipped: ResourceGraphOddRow[] = page.invalid.map((item) => ({
    id: null,
    reason: "the row is not an object",
    sample: sampleOf(item),
  }));
  for (const row of page.rows) {
    const parsed = ZResourceTagsRow.safeParse(row);
    if (parsed.success) rows.push({ id: parsed.data.id, tags: parsed.data.tags ?? {} });
    else {
      const reason = parsed.error.issues
        .map((i) => `${i.path.join(".") || "row"}: ${i.message}`)
        .slice(0, 3)
        .join("; ");
      skipped.push({ id: typeof row.id === "string" ? row.id : null, reason, sample: sampleOf(row) });
    }
  }
  return { rows, skipped, totalRecords: page.totalRecords };
}

export function createResourceGraphApi(raw: Raw, pacer: QuotaPacer = createQuotaPacer()): ResourceGraphApi {
  async function* query(kql: string, options: ResourceGraphQueryOptions = {}): AsyncGenerator<ResourceGraphPage> {
    const top = Math.min(Math.max(options.top ?? options.pageSize ?? MAX_TOP, 1), MAX_TOP);
    const text = withIdProjected(kql);
    const all = options.subscriptions ? [...new Set(options.subscriptions.map((s) => s.toLowerCase()))] : undefined;
    const batches: Array<string[] | undefined> = [];
    if (!all) batches.push(undefined);
    else for (let i = 0; i < all.length; i += SUBSCRIPTIONS_PER_REQUEST) batches.push(all.slice(i, i + SUBSCRIPTIONS_PER_REQUEST));
    // Totals of finished batches: a page's totalRecords is what is known so far (progress never shrinks).
    let finished = 0;
    for (const subscriptions of batches) {
      let skipToken: string | undefined;
      let batchTotal = 0;
      do {
        const body = {
          ...(subscriptions ? { subscriptions } : {}),
          query: text,
          options: { $top: top, ...(skipToken ? { $skipToken: skipToken } : {}), resultFormat: "objectArray" },
        };
        await pacer.acquire();
        const r = await raw({
          method: "POST",
          path: "/providers/Microsoft.ResourceGraph/resources",
          apiVersion: RESOURCE_GRAPH_API_VERSION,
          body,
          schema: ZResourceGraphResponse,
          what: "Resource Graph query",
        }).catch((error: unknown) => {
          pacer.observe({});
          throw error;
        });
        pacer.observe(r.headers);
        const page = r.body!;
        batchTotal = page.totalRecords;
        yield { rows: page.data.filter(isRow), invalid: page.data.filter((r) => !isRow(r)), totalRecords: finished + page.totalRecords };
        skipToken = page.$skipToken;
      } while (skipToken);
      finished += batchTotal;
    }
  }

  return {
    query,
    async *regulatoryCompliance(subscriptions, options = {}) {
      if (subscriptions.length === 0) return;
      for (const kind of ["standard", "control", "assessment"] as const) {
        const kql = `securityresources | where type == "${COMPLIANCE_TYPES[kind]}" | project id, name, subscriptionId, properties`;
        for await (const page of query(kql, { subscriptions, top: options.top })) {
          const rows: ComplianceRow[] = [];
          for (const row of page.rows) {
            const read = readComplianceRow(kind, row);
            if (!read)
              throw new AppError("UPSTREAM_UNAVAILABLE", {
                message: `A Resource Graph ${kind} row of regulatory compliance has an unexpected shape (${String(row.id)}).`,
              });
            rows.push(read);
          }
          if (page.invalid.length > 0)
            throw new AppError("UPSTREAM_UNAVAILABLE", {
              message: `A Resource Graph page holds ${page.invalid.length} rows that are not objects.`,
            });
          yield rows;
        }
      }
    },
    async *secureScores(subscriptions, options = {}) {
      if (subscriptions.length === 0) return;
      for (const kind of ["score", "control"] as const) {
        const kql = `securityresources | where type == "${SECURE_SCORE_TYPES[kind]}" | project id, name, subscriptionId, properties`;
        for await (const page of query(kql, { subscriptions, top: options.top })) {
          if (page.invalid.length > 0)
            throw new AppError("UPSTREAM_UNAVAILABLE", {
              message: `A Resource Graph page holds ${page.invalid.length} rows that are not objects.`,
            });
          yield page.rows.map((row) => {
            const read = readSecureScoreRow(kind, row);
            if (!read)
              throw new AppError("UPSTREAM_UNAVAILABLE", {
                message: `A Resource Graph secure ${kind === "score" ? "score" : "score control"} row has an unexpected shape (${String(row.id)}).`,
              });
            return read;
          });
        }
      }
    },
    async *resourceTags(subscriptions, options = {}) {
      if (subscriptions.length === 0) return;
      // The request's subscriptions are the scope: no `where subscriptionId in (…)` (2,500 ids would not fit a query).
      const scope = "";
      if (!options.resourceIds) {
        for await (const page of query(`resources${scope} | project id, tags`, { subscriptions, pageSize: options.pageSize }))
          yield readTagRows(page);
        return;
      }
      const ids = [...new Set(options.resourceIds.map((id) => id.toLowerCase()))];
      for (let i = 0; i < ids.length; i += TAG_IDS_PER_QUERY) {
        const batch = ids
          .slice(i, i + TAG_IDS_PER_QUERY)
          .map(kqlString)
          .join(", ");
        for await (const page of query(`resources${scope} | where id in~ (${batch}) | project id, tags`, {
          subscriptions,
          pageSize: options.pageSize,
        }))
          yield readTagRows(page);
      }
    },
    async *assessments(subscriptions, options = {}) {
      // The request's subscriptions are the scope (batched by query()); none = every readable subscription.
      for await (const page of query(ASSESSMENTS_QUERY, {
        subscriptions: subscriptions.length > 0 ? subscriptions : undefined,
        pageSize: options.pageSize,
      })) {
        if (page.invalid.length > 0)
          throw new AppError("UPSTREAM_UNAVAILABLE", {
            message: `A Resource Graph page holds ${page.invalid.length} rows that are not objects.`,
          });
        yield page.rows.map((row) => {
          const parsed = ZRawAssessmentProperties.safeParse(row.properties);
          if (!parsed.success || typeof row.id !== "string" || typeof row.name !== "string") {
            throw new AppError("UPSTREAM_UNAVAILABLE", {
              message: `A Resource Graph assessment row has an unexpected shape (${String(row.id)}).`,
            });
          }
          const p = parsed.data;
          const resourceId =
            p.resourceDetails.id ?? p.resourceDetails.Id ?? row.id.replace(/\/providers\/Microsoft\.Security\/assessments\/[^/]+$/i, "");
          return assessmentOf({ id: row.id, name: row.name, resourceId }, p);
        });
      }
    },
  };
}
