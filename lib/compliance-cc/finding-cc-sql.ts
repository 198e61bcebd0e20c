import "server-only";
import { type TCcFilter, type TFindingCc } from "@/lib/schemas/compliance-cc";

// Configuration Compliance next to each finding (findings API): the CC test result matched to it and the
// remediation task holding that result; plus the CC filters of the findings list (the coverage view's
// drill-down). Only connections that are not archived and have CC on count.

const LIVE_CONNECTION = `JOIN "ServiceNowConnection" s ON s."id" = c."connectionId" AND s."deletedAt" IS NULL AND s."ccEnabled"`;

/** The CC view of a finding as read from JSON (ccOfFindingSql). */
export type CcJson = {
  result: string;
  number: string;
  testName: string | null;
  snUpdatedAt: string;
  connectionName: string;
  taskNumber: string | null;
  taskState: string | null;
  taskUrl: string | null;
  taskGroup: string | null;
};

/**
 * The CC view of finding `f` as a JSON object (NULL when it has none), for the findings' detail
 * statement: its newest active result, and that result's current task (open first).
 */
export const CC_OF_FINDING_SQL = `(SELECT json_build_object('result', c."result", 'number', c."number", 'testName', c."testName",
      'snUpdatedAt', c."snUpdatedAt", 'connectionName', s."name", 'taskNumber', t."number", 'taskState', t."stateLabel", 'taskUrl', t."url",
      'taskGroup', t."assignmentGroupName")
    FROM "CcResult" c ${LIVE_CONNECTION}
    LEFT JOIN LATERAL (
      SELECT t.* FROM "CcResultTask" m JOIN "CcRemediationTask" t ON t."connectionId" = m."connectionId" AND t."sysId" = m."taskSysId"
      WHERE m."connectionId" = c."connectionId" AND m."resultSysId" = c."sysId"
      ORDER BY (t."stateLabel" <> 'Closed') DESC, t."snUpdatedAt" DESC LIMIT 1
    ) t ON true
    WHERE c."findingId" = f."id"
    ORDER BY c."isActive" DESC, c."snUpdatedAt" DESC LIMIT 1)`;

export function ccOf(r: CcJson | null): TFindingCc | null {
  if (!r) return null;
  return {
    result: r.result,
    number: r.number,
    testName: r.testName,
    updatedAt: new Date(r.snUpdatedAt).toISOString(),
    connectionName: r.connectionName,
    remediationTask: r.taskNumber
      ? { number: r.taskNumber, state: r.taskState ?? "Unknown", url: r.taskUrl ?? "", assignmentGroup: r.taskGroup }
      : null,
  };
}

/** An open failed CC result for finding `f`. */
const HAS_FAILED_CC = `EXISTS (SELECT 1 FROM "CcResult" c ${LIVE_CONNECTION} WHERE c."findingId" = f."id" AND c."result" = 'Failed' AND c."isActive")`;
const HAS_ANY_CC = `EXISTS (SELECT 1 FROM "CcResult" c ${LIVE_CONNECTION} WHERE c."findingId" = f."id")`;

/** SQL condition on findings `f` for a CC filter (code-defined SQL, no input). */
export function ccFilterSql(filter: TCcFilter): string {
  switch (filter) {
    case "gap":
      return `(f."status" = 'Unhealthy' AND NOT ${HAS_FAILED_CC})`;
    case "disagree":
      return `(f."status" = 'Healthy' AND ${HAS_FAILED_CC})`;
    case "failed":
      return HAS_FAILED_CC;
    case "none":
      return `NOT ${HAS_ANY_CC}`;
  }
}
