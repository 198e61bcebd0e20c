import "server-only";

// Resource tags: Defender's assessments carry none, so they come from Resource Graph's `resources` table
// (rules match tags and take owners from them). Two calls around the assessment pass:
// - stageResourceTags (before it; full passes): every resource of the included subscriptions,
//   `project id, tags`, 1,000 per page, into the session's tag table — new findings take their tags
//   when they are inserted (why: tag-writer.ts);
// - applyResourceTags (after the findings are written): full passes update, in one statement, the
//   existing findings whose tags changed. Incremental passes (tags change rarely) look only at findings
//   first seen since the last full pass and still untagged: those on a known resource copy its tags in
//   SQL; the rest are asked by id (`id in~ (…)`), or — past FULL_LISTING_ABOVE resources, e.g. a tenant
//   never fully ingested — listed like a full pass.
// Tags are read only when the connection allows Resource Graph. A listing that fails (after the client's
// own retries) is an error event and a problem — tags are kept as they were, the next pass tries again;
// odd rows are "skipped" events. Database errors propagate (they stop the ingestion, like every write).
import { toAzureAppError } from "@/lib/azure/errors";
import { type ResourceTags, type ResourceTagsPage } from "@/lib/azure/resource-graph";
import { type IngestStepInput, logListingFailure, logSkippedRows } from "./run-log";
import { applyStagedTags, resetTagStage, stageTagPage, tagFreshFindings, writeTagPage } from "./tag-writer";

/** Above this many resources to ask by id, one listing of the subscriptions is cheaper (1,000 per page vs 200 per query). */
export const FULL_LISTING_ABOVE = 2_000;

export type TagStepInput = IngestStepInput & {
  /** When the last full pass (which listed every resource's tags) finished; null = never. */
  lastFullSyncAt: Date | null;
};

/** Before the assessment pass. Returns problems for the run's result. */
export async function stageResourceTags(input: TagStepInput): Promise<string[]> {
  await resetTagStage(input.db);
  if (input.mode !== "full" || !input.useResourceGraph) return [];
  input.log.step("tags");
  input.log.set("tags.source", "resource-graph");
  return drain(input, input.client.resourceGraph.resourceTags(input.subscriptionIds), async (rows) => stageTagPage(input.db, rows));
}

/** After the findings are written. Returns problems for the run's result. */
export async function applyResourceTags(input: TagStepInput): Promise<string[]> {
  const { log, db } = input;
  log.step("tags");
  if (!input.useResourceGraph) {
    // No other bulk source of tags: without Resource Graph, findings keep the tags they have.
    log.set("tags.source", "off");
    return [];
  }
  log.set("tags.source", "resource-graph");
  if (input.mode === "full") {
    log.count("tags.findingsUpdated", await applyStagedTags(db, input.azureTenantId));
    return [];
  }

  const fresh = await tagFreshFindings(db, input.azureTenantId, input.subscriptionIds, input.lastFullSyncAt);
  log.count("tags.findingsCopied", fresh.copied);
  const { resourceIds, findingIds } = fresh.unknown;
  if (resourceIds.length === 0) return [];
  if (resourceIds.length > FULL_LISTING_ABOVE) {
    const problems = await drain(input, input.client.resourceGraph.resourceTags(input.subscriptionIds), async (rows) =>
      stageTagPage(db, rows),
    );
    log.count("tags.findingsUpdated", await applyStagedTags(db, input.azureTenantId));
    return problems;
  }
  log.count("tags.resourcesAsked", resourceIds.length);
  return drain(input, input.client.resourceGraph.resourceTags(input.subscriptionIds, { resourceIds }), async (rows) => {
    log.count("tags.findingsUpdated", await writeTagPage(db, findingIds, rows));
  });
}

/** Writes every page of a listing; page n is written while page n + 1 is fetched. */
async function drain(
  input: TagStepInput,
  pages: AsyncGenerator<ResourceTagsPage>,
  write: (rows: ResourceTags[]) => Promise<void>,
): Promise<string[]> {
  const { log } = input;
  let skipped = 0;
  const skippedProblem = () => (skipped > 0 ? [`${skipped} resource rows from Resource Graph were skipped as unreadable`] : []);
  let next = pages.next();
  for (;;) {
    let page: IteratorResult<ResourceTagsPage>;
    try {
      page = await next;
    } catch (error) {
      const appError = toAzureAppError(error, "Resource Graph resources listing (tags)");
      await logListingFailure(log, "Resource Graph resources (tags)", appError, "resource tags are kept as they were");
      return ["resource tags could not be read from Resource Graph", ...skippedProblem()];
    }
    if (page.done) break;
    next = pages.next();
    // Handled when awaited above; this only keeps a failure during a write from being "unhandled".
    next.catch(() => undefined);
    const { rows, skipped: odd } = page.value;
    if (odd.length > 0) {
      skipped += odd.length;
      await logSkippedRows(log, "tags.skipped", "resource", odd, "a resource row Resource Graph");
    }
    log.count("tags.resources", rows.length);
    await write(rows);
  }
  return skippedProblem();
}
