import "server-only";

// Remediation tasks requested from the UI go through the ticket service (exactly-once by correlation id,
// lib/tickets/create.ts); these are its Configuration Compliance steps:
//   before: the findings' tests and test results must exist in ServiceNow (exported now if needed);
//   the record: the task points at the test (when the findings share one) and carries the risk rating;
//   after commit: each finding's test result is put into the task (result_group). A failed attach is
//   logged and done again by the sync's read-back of remediation tasks, which re-attaches the results
//   of PostureDesk's open tasks.
import { pool } from "@/lib/db";
import { logger } from "@/lib/log";
import { type ServiceNowClient, type WriteValue } from "@/lib/servicenow";
import { eachLimit } from "./context";
import { exportConfigurationCompliance } from "./export";
import { RISK_RATING, type Severity } from "./source";

const RANK: Record<Severity, number> = { High: 3, Medium: 2, Low: 1 };

/** Exports the findings' tests and results if they are not in ServiceNow yet; returns recommendation key → test sys_id. */
export async function prepareRemediationTask(connectionId: string, client: ServiceNowClient, findingIds: string[]): Promise<Map<string, string>> {
  await exportConfigurationCompliance(connectionId, { runId: null, client, findingIds, skipTasks: true });
  const { rows } = await pool().query<{ recommendationKey: string; testSysId: string }>(
    `SELECT t."recommendationKey", t."testSysId" FROM "CcTest" t
     WHERE t."connectionId" = $1::uuid AND t."recommendationKey" IN (SELECT "recommendationKey" FROM "Finding" WHERE "id" = ANY($2::uuid[]))`,
    [connectionId, findingIds],
  );
  return new Map(rows.map((r) => [r.recommendationKey, r.testSysId]));
}

/** The CC-specific fields of a new remediation task for these findings. */
export function remediationTaskValues(findings: Array<{ recommendationKey: string; severity: Severity }>, tests: Map<string, string>): Record<string, WriteValue> {
  const keys = new Set(findings.map((f) => f.recommendationKey));
  const highest = findings.reduce<Severity>((best, f) => (RANK[f.severity] > RANK[best] ? f.severity : best), "Low");
  const test = keys.size === 1 ? tests.get([...keys][0]!) : undefined;
  return { risk_rating: RISK_RATING[highest], ...(test ? { test } : {}) };
}

/** Puts the findings' test results into their new tasks; returns how many could not be attached now. */
export async function attachResultsToTasks(connectionId: string, client: ServiceNowClient, tasks: Array<{ sysId: string; findingIds: string[] }>): Promise<number> {
  const findingIds = tasks.flatMap((t) => t.findingIds);
  if (findingIds.length === 0) return 0;
  const taskOf = new Map(tasks.flatMap((t) => t.findingIds.map((f) => [f, t.sysId] as const)));
  const { rows } = await pool().query<{ findingId: string; resultSysId: string }>(
    `SELECT "findingId", "resultSysId" FROM "CcExportState" WHERE "connectionId" = $1::uuid AND "findingId" = ANY($2::uuid[]) AND "resultSysId" IS NOT NULL`,
    [connectionId, findingIds],
  );
  let failed = findingIds.length - rows.length;
  await eachLimit(rows, 4, async (r) => {
    try {
      await client.update("sn_vulc_result", r.resultSysId, { result_group: taskOf.get(r.findingId)! });
    } catch (error) {
      failed++;
      logger().warn({ err: error, connectionId, resultSysId: r.resultSysId }, "test result not attached to its remediation task; the next sync attaches it");
    }
  });
  return failed;
}
