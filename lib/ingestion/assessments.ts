import "server-only";

// The assessments pass: pages from Resource Graph or ARM, each normalized (bad items → "skipped"
// events), its recommendations upserted first, then its findings in one statement. Fetching runs ahead
// of writing through a bounded queue (one writer; queued pages are written together), so a pass costs
// about max(listing, writing) rather than their sum. A listing that fails after the client's own retries is
// restarted (up to 3 attempts); Resource Graph falls back to per-subscription ARM listings.
import { type AzureClient } from "@/lib/azure/client";
import { AppError, isAppError } from "@/lib/http/errors";
import { type FindingWriter, type PageResult } from "./finding-writer";
import { normalizeAssessment, normalizeMetadata, type NormalizedAssessment, recommendationPortalUrl, type Rejection } from "./normalize";
import { type RecommendationWriter } from "./recommendation-writer";
import { type IngestEvent, logSkippedRows, type RunLog } from "./run-log";
import { armAssessmentPages, armMetadataInSubscription, armMetadataPages, graphAssessmentPages, type RawPage } from "./sources";

export type Strategy = "resource-graph" | "arm";

export type AssessmentPassInput = {
  client: AzureClient;
  log: RunLog;
  findings: FindingWriter;
  recommendations: RecommendationWriter;
  mode: "full" | "incremental";
  strategy: Strategy;
  subscriptionIds: string[];
  /** Incremental passes write only assessments whose status changed since then. */
  since: Date | null;
  /** false on a tenant's first ingestion: one event per recommendation instead of one per finding. */
  eventsPerFinding: boolean;
  /** For progress until the source says how many there are. */
  expectedTotal: number;
  /** Delay before restarting a failed listing (attempt n waits n × this). */
  retryDelayMs?: number;
  /** Records what identifies the page's AWS and GCP resources (./cloud-resources-sql.ts). */
  cloudResources?: (rows: NormalizedAssessment[]) => Promise<number>;
};

export type AssessmentPassResult = {
  strategy: Strategy;
  /** Subscriptions whose listing completed (their missing findings may be marked removed). */
  complete: string[];
  failed: string[];
  seen: number;
  maxStatusChangedAt: Date | null;
  changedKeys: Set<string>;
  newByKey: Map<string, number>;
};

const ATTEMPTS = 3;
/** Pages the listing may run ahead of the writer (Resource Graph pages hold 1,000 assessments). */
const QUEUE_PAGES = 4;
/** Rows the writer takes into one statement when pages have queued up. */
const BATCH_ROWS = 5_000;

/** Adds what a page (or the staged merge) wrote to the run's counts and the pass's result. */
export function accountWrites(log: RunLog, result: Pick<AssessmentPassResult, "changedKeys" | "newByKey">, written: PageResult): void {
  log.count("findings.new", written.inserted);
  log.count("findings.statusChanged", written.statusChanged);
  log.count("findings.reappeared", written.reappeared);
  log.count("findings.updated", written.written - written.inserted);
  for (const key of written.changedKeys) result.changedKeys.add(key);
  for (const [key, n] of Object.entries(written.newByKey)) result.newByKey.set(key, (result.newByKey.get(key) ?? 0) + n);
}

/** A database failure while writing: never retried as if Azure had failed. */
class WriteFailure extends Error {
  constructor(readonly original: unknown) {
    super("write failed");
  }
}

function isGraphUnsupported(error: unknown): boolean {
  return isAppError(error) && ["UPSTREAM_BAD_REQUEST", "UPSTREAM_FORBIDDEN", "UPSTREAM_NOT_FOUND", "UPSTREAM_AUTH"].includes(error.code);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runAssessmentPass(input: AssessmentPassInput): Promise<AssessmentPassResult> {
  const { client, log, findings, recommendations } = input;
  const included = new Set(input.subscriptionIds);
  const result: AssessmentPassResult = {
    strategy: input.strategy,
    complete: [],
    failed: [],
    seen: 0,
    maxStatusChangedAt: null,
    changedKeys: new Set(),
    newByKey: new Map(),
  };
  const triedMetadata = new Set<string>();
  /** Keys whose inline (Resource Graph) metadata is stored already in this run. */
  const metadataTaken = new Set<string>();
  let done = 0;
  let total = input.expectedTotal;

  async function resolveMissingMetadata(rows: NormalizedAssessment[]): Promise<void> {
    const missing = recommendations.missing(rows).filter((key) => !triedMetadata.has(key));
    for (const key of missing) {
      triedMetadata.add(key);
      const subscriptionId = rows.find((r) => r.key === key)!.subscriptionId;
      try {
        const normalized = normalizeMetadata(await armMetadataInSubscription(client, subscriptionId, key));
        if (normalized.ok) await recommendations.upsert([normalized.value]);
      } catch {
        // No metadata to be had: a placeholder follows.
      }
    }
    const placeholders = await recommendations.placeholders(rows);
    if (placeholders.length > 0) {
      log.count("recommendations.placeholders", placeholders.length);
      await log.events(
        placeholders.map((key) => ({
          action: "skipped",
          entityType: "recommendation",
          entityId: key,
          message: `Defender returned no metadata for recommendation ${key}: listed as a placeholder until it does`,
        })),
      );
    }
  }

  async function writePages(pages: RawPage[]): Promise<void> {
    const started = performance.now();
    const rows: NormalizedAssessment[] = [];
    const skipped: IngestEvent[] = [];
    const items = pages.length === 1 ? pages[0]!.items : pages.flatMap((p) => p.items);
    for (const item of items) {
      const n = normalizeAssessment(item, metadataTaken);
      if (!n.ok) {
        skipped.push({
          action: "skipped",
          entityType: "assessment",
          entityId: n.id,
          message: `Skipped an assessment Defender returned: ${n.reason}`,
          after: { sample: n.sample },
        });
        continue;
      }
      const a = n.value;
      if (!included.has(a.subscriptionId)) continue;
      if (a.statusChangedAt && (!result.maxStatusChangedAt || a.statusChangedAt > result.maxStatusChangedAt))
        result.maxStatusChangedAt = a.statusChangedAt;
      if (
        input.since &&
        !(
          a.statusChangedAt === null ||
          a.statusChangedAt >= input.since ||
          (a.firstEvaluationAt !== null && a.firstEvaluationAt >= input.since)
        )
      )
        continue;
      if (!a.portalUrl) a.portalUrl = recommendationPortalUrl(a.key);
      rows.push(a);
    }
    result.seen += items.length - skipped.length;
    if (skipped.length) {
      log.count("skipped", skipped.length);
      await log.events(skipped);
    }
    const metadata = rows.flatMap((r) => (r.metadata ? [r.metadata] : []));
    if (metadata.length) {
      log.count("recommendations.written", await recommendations.upsert(metadata));
      for (const m of metadata) metadataTaken.add(m.key);
    }
    if (recommendations.missing(rows).length) await resolveMissingMetadata(rows);
    if (input.cloudResources && rows.some((r) => r.cloud)) log.count("cloudResources.written", await input.cloudResources(rows));
    accountWrites(log, result, await findings.writePage(rows, { eventsPerFinding: input.eventsPerFinding }));
    // Time spent writing (normalizing included): against the step's wall time it shows what the listing costs.
    log.count("timings.pageWrites", Math.round(performance.now() - started));
    done += items.length;
    const last = pages.at(-1)!;
    if (last.totalRecords !== null) total = last.totalRecords;
    log.progress(done, total);
  }

  /**
   * Lists one source to the end through a bounded queue: the listing runs up to QUEUE_PAGES pages ahead
   * of the writer (back-pressure beyond that, so memory stays bounded whatever the size), and the writer
   * takes every queued page at once (up to BATCH_ROWS) into one statement — fewer, larger set-based
   * writes when writing is the slower side. One writer: the pages share this session's connection.
   */
  async function drainSource(pages: AsyncGenerator<RawPage>): Promise<void> {
    const queue: RawPage[] = [];
    let listingDone = false;
    const state: { failure: WriteFailure | null } = { failure: null };
    let wakeWriter: (() => void) | null = null;
    let wakeReader: (() => void) | null = null;
    const wake = (which: "writer" | "reader") => {
      const fn = which === "writer" ? wakeWriter : wakeReader;
      if (which === "writer") wakeWriter = null;
      else wakeReader = null;
      fn?.();
    };
    const writer = (async () => {
      for (;;) {
        if (queue.length === 0) {
          if (listingDone) return;
          await new Promise<void>((resolve) => (wakeWriter = resolve));
          continue;
        }
        const batch: RawPage[] = [queue.shift()!];
        let rows = batch[0]!.items.length;
        while (queue.length > 0 && rows + queue[0]!.items.length <= BATCH_ROWS) {
          rows += queue[0]!.items.length;
          batch.push(queue.shift()!);
        }
        wake("reader");
        try {
          await writePages(batch);
        } catch (error) {
          state.failure = new WriteFailure(error);
          wake("reader");
          return;
        }
      }
    })();
    try {
      for await (const page of pages) {
        if (state.failure) break;
        queue.push(page);
        wake("writer");
        while (queue.length >= QUEUE_PAGES && !state.failure) await new Promise<void>((resolve) => (wakeReader = resolve));
        if (state.failure) break;
      }
    } finally {
      // Even when the listing failed, what was read is written before anything else happens (and a
      // restarted listing never races a write of the previous attempt).
      listingDone = true;
      wake("writer");
      await writer;
      // A database failure outranks the listing's: it is never retried as if Azure had failed.
      if (state.failure) throw state.failure;
    }
  }

  async function withAttempts(
    what: string,
    list: () => AsyncGenerator<RawPage>,
    canFallBack: boolean,
  ): Promise<"complete" | "failed" | "fallback"> {
    for (let attempt = 1; ; attempt++) {
      try {
        await drainSource(list());
        return "complete";
      } catch (error) {
        if (error instanceof WriteFailure) throw error.original;
        const appError = isAppError(error) ? error : new AppError("UPSTREAM_UNAVAILABLE", { message: String(error), cause: error });
        const isLast = attempt >= ATTEMPTS || !appError.isRetryable;
        if (canFallBack && (isGraphUnsupported(appError) || isLast)) {
          await log.events([
            {
              action: "error",
              entityType: "listing",
              entityId: what,
              message: `${appError.message} — listing each subscription through ARM instead`,
              isRetryable: true,
            },
          ]);
          return "fallback";
        }
        await log.events([
          {
            action: "error",
            entityType: "listing",
            entityId: what,
            message: `${appError.message}${isLast ? "" : ` — attempt ${attempt} of ${ATTEMPTS}, listing again`}`,
            isRetryable: true,
          },
        ]);
        if (isLast) return "failed";
        log.count("listingRetries");
        await sleep((input.retryDelayMs ?? 2_000) * attempt);
      }
    }
  }

  if (input.strategy === "resource-graph") {
    log.step("assessments (Resource Graph)");
    const outcome = await withAttempts(
      "Resource Graph securityresources",
      () => graphAssessmentPages(client, input.subscriptionIds, { since: input.since }),
      true,
    );
    if (outcome === "complete") {
      result.complete = [...input.subscriptionIds];
      return result;
    }
    result.strategy = "arm";
  }

  log.step("metadata");
  const metadataOutcome = await withAttempts("assessment metadata", () => metadataPages(), false);
  if (metadataOutcome === "failed") log.count("errors");

  log.step("assessments (ARM)");
  for (const subscriptionId of input.subscriptionIds) {
    const outcome = await withAttempts(`subscription ${subscriptionId}`, () => armAssessmentPages(client, subscriptionId), false);
    if (outcome === "complete") result.complete.push(subscriptionId);
    else {
      result.failed.push(subscriptionId);
      log.count("errors");
    }
  }
  return result;

  /** The tenant-wide catalog, upserted as it comes (pages are metadata, not assessments). */
  async function* metadataPages(): AsyncGenerator<RawPage> {
    for await (const page of armMetadataPages(client)) {
      const good = page.items.map(normalizeMetadata);
      const bad = good.filter((n): n is Rejection => !n.ok);
      if (bad.length) {
        await logSkippedRows(log, "skipped", "recommendation", bad, "assessment metadata Defender");
      }
      log.count("recommendations.written", await recommendations.upsert(good.flatMap((n) => (n.ok ? [n.value] : []))));
      yield { items: [], totalRecords: null };
    }
  }
}
