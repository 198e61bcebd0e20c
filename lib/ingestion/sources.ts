import "server-only";

// Where assessments and metadata come from, page by page, untyped (normalize.ts checks each item):
// - ARM: the SDK's SecurityCenter listing per subscription (100 per page on the emulator);
// - Resource Graph: `securityresources` across all included subscriptions in pages of 1,000, with the
//   metadata inline (docs/ARCHITECTURE.md, "Ingestion", explains when each is used).
// Failures become AppErrors (lib/azure/errors), so callers decide on codes and isRetryable.
import { type AzureClient } from "@/lib/azure/client";
import { toAzureAppError } from "@/lib/azure/errors";
import { ASSESSMENTS_QUERY, kqlString } from "@/lib/azure/resource-graph";

export type RawPage = { items: unknown[]; totalRecords: number | null };

const GOVERNANCE_QUERY = `securityresources | where type == "microsoft.security/assessments/governanceassignments"`;

/** Any subscription id works for tenant-level calls (the SDK client needs one). */
const ANY_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";

async function* wrap<T>(iterator: AsyncIterableIterator<T[]>, what: string): AsyncGenerator<RawPage> {
  try {
    for await (const page of iterator) yield { items: page as unknown[], totalRecords: null };
  } catch (error) {
    throw toAzureAppError(error, what);
  }
}

export function armAssessmentPages(client: AzureClient, subscriptionId: string): AsyncGenerator<RawPage> {
  return wrap(
    client.security(subscriptionId).assessments.list(`subscriptions/${subscriptionId}`).byPage(),
    `assessment listing of subscription ${subscriptionId}`,
  );
}

export function armMetadataPages(client: AzureClient): AsyncGenerator<RawPage> {
  return wrap(client.security(ANY_SUBSCRIPTION).assessmentsMetadata.list().byPage(), "assessment metadata listing");
}

/** One recommendation's metadata as a subscription sees it (custom assessments live there). */
export async function armMetadataInSubscription(client: AzureClient, subscriptionId: string, key: string): Promise<unknown> {
  try {
    return await client.security(subscriptionId).assessmentsMetadata.getInSubscription(key);
  } catch (error) {
    throw toAzureAppError(error, `assessment metadata ${key}`);
  }
}

async function* graph(client: AzureClient, query: string, subscriptionIds: string[]): AsyncGenerator<RawPage> {
  for await (const page of client.resourceGraph.query(query, { subscriptions: subscriptionIds, pageSize: 1000 })) {
    yield { items: [...page.rows, ...page.invalid], totalRecords: page.totalRecords };
  }
}

/**
 * Resource Graph's side of an incremental pass: only assessments whose status changed or that were
 * first evaluated at or after `since` (and any without a change date, which the pass keeps too), so a
 * quiet tenant of 100,000 findings answers a page or two instead of a hundred.
 */
export function changedSinceFilter(since: Date): string {
  const t = `todatetime(${kqlString(since.toISOString())})`;
  return ` | where isnull(todatetime(properties.status.statusChangeDate)) or todatetime(properties.status.statusChangeDate) >= ${t} or todatetime(properties.status.firstEvaluationDate) >= ${t}`;
}

export function graphAssessmentPages(
  client: AzureClient,
  subscriptionIds: string[],
  options: { since?: Date | null } = {},
): AsyncGenerator<RawPage> {
  return graph(client, `${ASSESSMENTS_QUERY}${options.since ? changedSinceFilter(options.since) : ""}`, subscriptionIds);
}

export function graphGovernancePages(client: AzureClient, subscriptionIds: string[]): AsyncGenerator<RawPage> {
  return graph(client, GOVERNANCE_QUERY, subscriptionIds);
}
