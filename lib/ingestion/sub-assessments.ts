import "server-only";

// Vulnerability sub-findings (Defender's subAssessments): the CVEs and failed checks behind the findings
// of "… should have vulnerability findings resolved". One step after the findings are written:
// - Resource Graph (`securityresources | where type == "microsoft.security/assessments/subassessments"`,
//   1,000 per page) when the pass uses it; else ARM's subAssessments listing per subscription.
// - Incremental passes ask only for what changed since the assessments' watermark (less the same
//   overlap): `todatetime(properties.timeGenerated) >= …` server-side through Resource Graph, filtered
//   while reading through ARM (which has no such filter).
// - Each page is normalized (odd rows → "skipped" events) and written in one statement
//   (sub-assessment-writer.ts) while the next page is fetched.
// - Deletions: every pass drops the sub-assessments of findings it wrote as no longer unhealthy or
//   removed; a full pass whose listing completed also drops those it did not see. An incremental pass
//   cannot see a vanished sub-assessment (Resource Graph lists what exists), so a CVE fixed on a resource
//   that stays unhealthy disappears at the next full pass.
// A listing that fails (after the client's retries) is an error event and a problem — what is stored
// is kept, nothing is deleted.
import { toAzureAppError } from "@/lib/azure/errors";
import { kqlString } from "@/lib/azure/resource-graph";
import { type IngestEvent, type IngestStepInput, logListingFailure } from "./run-log";
import { normalizeSubAssessment, type NormalizedSubAssessment } from "./sub-assessment-normalize";
import { createSubAssessmentWriter } from "./sub-assessment-writer";

export const SUB_ASSESSMENTS_QUERY = `securityresources | where type == "microsoft.security/assessments/subassessments"`;

export type SubAssessmentStepInput = IngestStepInput & {
  /** Incremental passes: only sub-assessments generated at or after this instant. */
  since: Date | null;
  /** The pass's start (Finding.lastSeenAt of the rows it wrote). */
  now: Date;
};

type RawPage = { items: unknown[] };

/**
 * The Resource Graph query of a pass (exported for tests and docs/PERFORMANCE.md). The request's
 * `subscriptions` (batched by the client) are the scope: naming them in the query too would make it grow
 * with the tenant (2,500 ids are over 100,000 characters) and add nothing.
 */
export function subAssessmentsQuery(since: Date | null): string {
  const changed = since ? ` | where todatetime(properties.timeGenerated) >= todatetime(${kqlString(since.toISOString())})` : "";
  return `${SUB_ASSESSMENTS_QUERY}${changed} | project id, name, type, subscriptionId, properties`;
}

async function* graphPages(input: SubAssessmentStepInput): AsyncGenerator<RawPage> {
  for await (const page of input.client.resourceGraph.query(subAssessmentsQuery(input.since), {
    subscriptions: input.subscriptionIds,
    pageSize: 1000,
  })) {
    yield { items: [...page.rows, ...page.invalid] };
  }
}

async function* armPages(input: SubAssessmentStepInput): AsyncGenerator<RawPage> {
  for (const subscriptionId of input.subscriptionIds) {
    for await (const page of input.client.security(subscriptionId).subAssessments.listAll(`subscriptions/${subscriptionId}`).byPage()) {
      yield { items: page as unknown[] };
    }
  }
}

/** Returns problems for the run's result. */
export async function ingestSubAssessments(input: SubAssessmentStepInput): Promise<string[]> {
  const { log } = input;
  // No subscription: nothing to ask (an empty scope would be a tenant-wide Resource Graph query).
  if (input.subscriptionIds.length === 0) return [];
  log.step("subAssessments");
  const source = input.useResourceGraph ? "resource-graph" : "arm";
  log.set("subAssessments.source", source);
  const writer = await createSubAssessmentWriter(input.db, {
    azureTenantId: input.azureTenantId,
    now: input.now,
    isFull: input.mode === "full",
  });
  const pages = source === "resource-graph" ? graphPages(input) : armPages(input);
  const problems: string[] = [];
  let isComplete = true;
  let next = pages.next();
  for (;;) {
    let page: IteratorResult<RawPage>;
    try {
      page = await next;
    } catch (error) {
      const appError = toAzureAppError(
        error,
        source === "resource-graph" ? "Resource Graph sub-assessments listing" : "sub-assessments listing",
      );
      await logListingFailure(log, "sub-assessments", appError, "vulnerability sub-findings are kept as they were");
      problems.push("vulnerability sub-findings could not be read");
      isComplete = false;
      break;
    }
    if (page.done) break;
    next = pages.next();
    next.catch(() => undefined);
    const rows: NormalizedSubAssessment[] = [];
    const odd: IngestEvent[] = [];
    for (const item of page.value.items) {
      const n = normalizeSubAssessment(item);
      if (!n.ok) {
        odd.push({
          action: "skipped",
          entityType: "sub-assessment",
          entityId: n.id,
          message: `Skipped a sub-assessment Defender returned: ${n.reason}`,
          after: { sample: n.sample },
        });
        continue;
      }
      // ARM has no server-side filter: an incremental pass keeps what changed since its cutoff.
      if (source === "arm" && input.since && n.value.timeGenerated && n.value.timeGenerated < input.since) continue;
      rows.push(n.value);
    }
    if (odd.length > 0) {
      log.count("subAssessments.skipped", odd.length);
      log.count("skipped", odd.length); // the run's result then names them (ingest.ts)
      await log.events(odd);
    }
    const result = await writer.write(rows);
    log.count("subAssessments.received", result.received);
    log.count("subAssessments.kept", result.matched);
    log.count("subAssessments.inserted", result.inserted);
    log.count("subAssessments.updated", result.updated);
  }
  log.count("subAssessments.deleted", await writer.deleteOfResolvedFindings());
  if (input.mode === "full" && isComplete) log.count("subAssessments.deleted", await writer.deleteUnseen(input.subscriptionIds));
  return problems;
}
