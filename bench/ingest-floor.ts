// The floor of bench/ingest.ts: the same requests a Resource Graph (or ARM) ingestion makes, in the same
// order and concurrency, each response read and parsed, nothing normalized or stored.
import { type AzureClient } from "@/lib/azure/client";
import { mapLimit } from "@/lib/ingestion/posture";
import { armAssessmentPages, armMetadataPages, graphAssessmentPages, graphGovernancePages } from "@/lib/ingestion/sources";

async function drain<T>(pages: AsyncGenerator<T[]> | AsyncGenerator<{ items: unknown[] }>): Promise<number> {
  let n = 0;
  for await (const page of pages) n += Array.isArray(page) ? page.length : page.items.length;
  return n;
}

export type FloorOptions = {
  strategy: "resource-graph" | "arm";
  withCompliance: boolean;
  /** ARM only: the (subscription, recommendation) pairs whose governance assignments ingestion lists. */
  governancePairs?: Array<{ subscriptionId: string; recommendationKey: string }>;
  /** Resource Graph only: list just the assessments changed since then (an incremental pass). */
  since?: Date | null;
};

export async function floorPass(client: AzureClient, subscriptionIds: string[], options: FloorOptions): Promise<number> {
  await client.listSubscriptions();
  let assessments = 0;
  if (options.strategy === "resource-graph") {
    assessments = await drain(graphAssessmentPages(client, subscriptionIds, { since: options.since }));
    await drain(graphGovernancePages(client, subscriptionIds));
  } else {
    await drain(armMetadataPages(client));
    for (const s of subscriptionIds) assessments += await drain(armAssessmentPages(client, s));
    for (const pair of options.governancePairs ?? []) {
      await client.raw({
        method: "GET",
        path: `/subscriptions/${pair.subscriptionId}/providers/Microsoft.Security/assessments/${pair.recommendationKey}/governanceAssignments`,
        apiVersion: "2022-01-01-preview",
        what: "governance assignment listing",
      });
    }
  }
  await mapLimit(subscriptionIds, 4, async (s) => Promise.all([drain(client.secureScores(s)), drain(client.secureScoreControls(s))]));
  if (options.withCompliance) {
    for (const s of subscriptionIds) {
      const standards = (await mapLimit([s], 1, async () => {
        const out = [];
        for await (const page of client.complianceStandards(s)) out.push(...page);
        return out;
      }))[0]!;
      const controls = (
        await mapLimit(standards, 4, async (st) => {
          const out: Array<{ standard: string; control: string }> = [];
          for await (const page of client.complianceControls(s, st.name)) out.push(...page.map((c) => ({ standard: st.name, control: c.name })));
          return out;
        })
      ).flat();
      await mapLimit(controls, 4, (c) => drain(client.complianceAssessments(s, c.standard, c.control)));
    }
  }
  return assessments;
}
