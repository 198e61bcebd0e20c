// Resource Graph: the bulk path across many subscriptions. Raw POST through the authenticated ARM
// pipeline (the SDK's @azure/arm-resourcegraph versions either need Node 22 or mishandle paging/429),
// paged with $top (≤ 1000) and $skipToken. Assessments come from `securityresources`; resource tags
// (which assessments do not carry) from `resources`.
import "server-only";
import { z } from "zod";
import type { RawRequest, RawResponse } from "./client";
import { type AzureAssessment, resourceGroupOf, subscriptionOf, ZRawAssessmentProperties, ZResourceGraphResponse } from "./schemas";
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

export type ResourceGraphApi = {
  /** Runs a KQL query and yields one page of rows at a time. */
  query(query: string, options?: { subscriptions?: string[]; pageSize?: number }): AsyncGenerator<ResourceGraphPage>;
  /** All Defender assessments of the given subscriptions (securityresources), normalized. */
  assessments(subscriptions: string[], options?: { pageSize?: number }): AsyncGenerator<AzureAssessment[]>;
  /** Tags of the resources of the given subscriptions (`resources | … | project id, tags`), one page at a time. */
  resourceTags(subscriptions: string[], options?: ResourceTagsOptions): AsyncGenerator<ResourceTagsPage>;
};

export const ASSESSMENTS_QUERY = `securityresources | where type == "microsoft.security/assessments"`;

/** Ids per `where id in~ (…)` query: ~150-character ARM ids keep a query near 30 KB. */
export const TAG_IDS_PER_QUERY = 200;

/** A KQL string literal (single quotes; backslash and quote escaped). */
export function kqlString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** Azure tags are strings; a missing or null tag object means no tags. */
const ZResourceTagsRow = z.object({
  id: z.string().trim().regex(/^\/subscriptions\/[^/]+\/.+/i, "not an ARM resource id"),
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
  const skipped: ResourceGraphOddRow[] = page.invalid.map((item) => ({ id: null, reason: "the row is not an object", sample: sampleOf(item) }));
  for (const row of page.rows) {
    const parsed = ZResourceTagsRow.safeParse(row);
    if (parsed.success) rows.push({ id: parsed.data.id, tags: parsed.data.tags ?? {} });
    else {
      const reason = parsed.error.issues.map((i) => `${i.path.join(".") || "row"}: ${i.message}`).slice(0, 3).join("; ");
      skipped.push({ id: typeof row.id === "string" ? row.id : null, reason, sample: sampleOf(row) });
    }
  }
  return { rows, skipped, totalRecords: page.totalRecords };
}

export function createResourceGraphApi(raw: Raw): ResourceGraphApi {
  async function* query(kql: string, options: { subscriptions?: string[]; pageSize?: number } = {}): AsyncGenerator<ResourceGraphPage> {
    const top = Math.min(Math.max(options.pageSize ?? 1000, 1), 1000);
    let skipToken: string | undefined;
    do {
      const body = {
        ...(options.subscriptions ? { subscriptions: options.subscriptions } : {}),
        query: kql,
        options: { $top: top, ...(skipToken ? { $skipToken: skipToken } : {}), resultFormat: "objectArray" },
      };
      const r = await raw({ method: "POST", path: "/providers/Microsoft.ResourceGraph/resources", apiVersion: RESOURCE_GRAPH_API_VERSION, body, schema: ZResourceGraphResponse, what: "Resource Graph query" });
      const page = r.body!;
      yield { rows: page.data.filter(isRow), invalid: page.data.filter((r) => !isRow(r)), totalRecords: page.totalRecords };
      skipToken = page.$skipToken;
    } while (skipToken);
  }

  return {
    query,
    async *resourceTags(subscriptions, options = {}) {
      if (subscriptions.length === 0) return;
      const scope = ` | where subscriptionId in (${subscriptions.map((s) => kqlString(s.toLowerCase())).join(", ")})`;
      if (!options.resourceIds) {
        for await (const page of query(`resources${scope} | project id, tags`, { subscriptions, pageSize: options.pageSize })) yield readTagRows(page);
        return;
      }
      const ids = [...new Set(options.resourceIds.map((id) => id.toLowerCase()))];
      for (let i = 0; i < ids.length; i += TAG_IDS_PER_QUERY) {
        const batch = ids.slice(i, i + TAG_IDS_PER_QUERY).map(kqlString).join(", ");
        for await (const page of query(`resources${scope} | where id in~ (${batch}) | project id, tags`, { subscriptions, pageSize: options.pageSize })) yield readTagRows(page);
      }
    },
    async *assessments(subscriptions, options = {}) {
      const filter = subscriptions.length > 0 ? ` | where subscriptionId in (${subscriptions.map((s) => `'${s.replace(/'/g, "")}'`).join(", ")})` : "";
      for await (const page of query(`${ASSESSMENTS_QUERY}${filter}`, { subscriptions, pageSize: options.pageSize })) {
        if (page.invalid.length > 0) throw new AppError("UPSTREAM_UNAVAILABLE", { message: `A Resource Graph page holds ${page.invalid.length} rows that are not objects.` });
        yield page.rows.map((row) => {
          const parsed = ZRawAssessmentProperties.safeParse(row.properties);
          if (!parsed.success || typeof row.id !== "string" || typeof row.name !== "string") {
            throw new AppError("UPSTREAM_UNAVAILABLE", { message: `A Resource Graph assessment row has an unexpected shape (${String(row.id)}).` });
          }
          const p = parsed.data;
          const resourceId = p.resourceDetails.id ?? p.resourceDetails.Id ?? row.id.replace(/\/providers\/Microsoft\.Security\/assessments\/[^/]+$/i, "");
          return {
            id: row.id,
            key: row.name,
            resourceId,
            subscriptionId: subscriptionOf(resourceId),
            resourceGroup: resourceGroupOf(resourceId),
            displayName: p.displayName ?? row.name,
            status: p.status.code,
            cause: p.status.cause || null,
            description: p.status.description || null,
            firstEvaluationDate: p.status.firstEvaluationDate ?? null,
            statusChangeDate: p.status.statusChangeDate ?? null,
            portalUrl: p.links?.azurePortalUri ?? null,
            additionalData: p.additionalData ?? null,
          } satisfies AzureAssessment;
        });
      }
    },
  };
}
