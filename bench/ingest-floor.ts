// The floor of bench/ingest.ts: the same requests an ingestion makes, in the same order and with the
// same concurrency, each response read and parsed, nothing normalized or stored:
// subscriptions → resource tags (Resource Graph, full passes) → assessments (Resource Graph, or metadata +
// ARM per subscription) with secure scores — and, through Resource Graph, regulatory compliance — read
// alongside (as lib/ingestion/ingest.ts does) → sub-assessments → governance → compliance through ARM
// (the ARM strategy, after the pass, 40-odd listings per subscription).
import { type AzureClient } from "@/lib/azure/client";
import { SUBSCRIPTIONS_PER_REQUEST } from "@/lib/azure/resource-graph";
import { mapLimit } from "@/lib/ingestion/posture";
import { armAssessmentPages, armMetadataPages, graphAssessmentPages, graphGovernancePages } from "@/lib/ingestion/sources";
import { subAssessmentsQuery } from "@/lib/ingestion/sub-assessments";

async function drain<T>(
  pages: AsyncGenerator<T[]> | AsyncGenerator<{ items: unknown[] }> | AsyncGenerator<{ rows: unknown[] }>,
): Promise<number> {
  let n = 0;
  for await (const page of pages) n += Array.isArray(page) ? page.length : "items" in page ? page.items.length : page.rows.length;
  return n;
}

export type FloorOptions = {
  strategy: "resource-graph" | "arm";
  /** A full pass: resource tags listed first, regulatory compliance read. */
  withCompliance: boolean;
  /** ARM only: the (subscription, recommendation) pairs whose governance assignments ingestion lists. */
  governancePairs?: Array<{ subscriptionId: string; recommendationKey: string }>;
  /** Resource Graph only: list just the assessments changed since then (an incremental pass). */
  since?: Date | null;
};

async function armCompliance(client: AzureClient, subscriptionIds: string[]): Promise<void> {
  for (const s of subscriptionIds) {
    const standards = [];
    for await (const page of client.complianceStandards(s)) standards.push(...page);
    const controls = (
      await mapLimit(standards, 4, async (st) => {
        const out: Array<{ standard: string; control: string }> = [];
        for await (const page of client.complianceControls(s, st.name))
          out.push(...page.map((c) => ({ standard: st.name, control: c.name })));
        return out;
      })
    ).flat();
    await mapLimit(controls, 4, (c) => drain(client.complianceAssessments(s, c.standard, c.control)));
  }
}

async function graphCompliance(client: AzureClient, subscriptionIds: string[]): Promise<void> {
  for (let i = 0; i < subscriptionIds.length; i += SUBSCRIPTIONS_PER_REQUEST)
    await drain(client.resourceGraph.regulatoryCompliance(subscriptionIds.slice(i, i + SUBSCRIPTIONS_PER_REQUEST)));
}

export async function floorPass(client: AzureClient, subscriptionIds: string[], options: FloorOptions): Promise<number> {
  await client.listSubscriptions();
  const isGraph = options.strategy === "resource-graph";
  if (options.withCompliance) await drain(client.resourceGraph.resourceTags(subscriptionIds));
  // Read alongside the assessment pass, as ingestion does.
  const posture = (async () => {
    if (isGraph) {
      for (let i = 0; i < subscriptionIds.length; i += SUBSCRIPTIONS_PER_REQUEST)
        await drain(client.resourceGraph.secureScores(subscriptionIds.slice(i, i + SUBSCRIPTIONS_PER_REQUEST)));
    } else {
      await mapLimit(subscriptionIds, 4, async (s) => Promise.all([drain(client.secureScores(s)), drain(client.secureScoreControls(s))]));
    }
    if (options.withCompliance && isGraph) await graphCompliance(client, subscriptionIds);
  })();
  let assessments = 0;
  try {
    if (isGraph) {
      assessments = await drain(graphAssessmentPages(client, subscriptionIds, { since: options.since }));
      await drain(
        client.resourceGraph.query(subAssessmentsQuery(options.since ?? null), { subscriptions: subscriptionIds, pageSize: 1000 }),
      );
      await drain(graphGovernancePages(client, subscriptionIds));
    } else {
      await drain(armMetadataPages(client));
      for (const s of subscriptionIds) assessments += await drain(armAssessmentPages(client, s));
      for (const s of subscriptionIds)
        for await (const page of client.security(s).subAssessments.listAll(`subscriptions/${s}`).byPage()) void page;
      for (const pair of options.governancePairs ?? []) {
        await client.raw({
          method: "GET",
          path: `/subscriptions/${pair.subscriptionId}/providers/Microsoft.Security/assessments/${pair.recommendationKey}/governanceAssignments`,
          apiVersion: "2022-01-01-preview",
          what: "governance assignment listing",
        });
      }
    }
  } finally {
    await posture.catch(() => undefined);
  }
  await posture;
  if (!isGraph && options.withCompliance) await armCompliance(client, subscriptionIds);
  return assessments;
}
