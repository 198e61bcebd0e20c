// Resource Graph: the bulk path across many subscriptions. Raw POST through the authenticated ARM
// pipeline (the SDK's @azure/arm-resourcegraph versions either need Node 22 or mishandle paging/429),
// paged with $top (≤ 1000) and $skipToken.
import "server-only";
import type { RawRequest, RawResponse } from "./client";
import { type AzureAssessment, resourceGroupOf, subscriptionOf, ZRawAssessmentProperties, ZResourceGraphResponse } from "./schemas";
import { AppError } from "@/lib/http/errors";

export const RESOURCE_GRAPH_API_VERSION = "2024-04-01";

type Raw = <T>(request: RawRequest<T>) => Promise<RawResponse<T | undefined>>;

/** `invalid`: entries of `data` that are not objects (bad data from the API, kept for the caller to report). */
export type ResourceGraphPage = { rows: Record<string, unknown>[]; invalid: unknown[]; totalRecords: number };

const isRow = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export type ResourceGraphApi = {
  /** Runs a KQL query and yields one page of rows at a time. */
  query(query: string, options?: { subscriptions?: string[]; pageSize?: number }): AsyncGenerator<ResourceGraphPage>;
  /** All Defender assessments of the given subscriptions (securityresources), normalized. */
  assessments(subscriptions: string[], options?: { pageSize?: number }): AsyncGenerator<AzureAssessment[]>;
};

export const ASSESSMENTS_QUERY = `securityresources | where type == "microsoft.security/assessments"`;

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
