import "server-only";
import { pool } from "@/lib/db";
import { type TFindingCc } from "@/lib/schemas/compliance-cc";

// The SQL of finding-cc.ts (raw SQL lives in *-sql.ts modules or lib/db/: docs/ARCHITECTURE.md, "Boundaries").

export const LIVE_CONNECTION = `JOIN "ServiceNowConnection" s ON s."id" = c."connectionId" AND s."deletedAt" IS NULL AND s."ccEnabled"`;

export type Row = {
  findingId: string;
  result: string;
  number: string;
  testName: string | null;
  snUpdatedAt: Date;
  connectionName: string;
  taskNumber: string | null;
  taskState: string | null;
  taskUrl: string | null;
  taskGroup: string | null;
};

/** The CC view of each finding that has one: its newest active result, and that result's current task (open first). */
export async function ccOfFindings(ids: string[]): Promise<Map<string, TFindingCc>> {
  if (ids.length === 0) return new Map();
  const { rows } = await pool().query<Row>(
    `SELECT DISTINCT ON (c."findingId") c."findingId", c."result", c."number", c."testName", c."snUpdatedAt", s."name" AS "connectionName",
       t."number" AS "taskNumber", t."stateLabel" AS "taskState", t."url" AS "taskUrl", t."assignmentGroupName" AS "taskGroup"
     FROM "CcResult" c ${LIVE_CONNECTION}
     LEFT JOIN LATERAL (
       SELECT t.* FROM "CcResultTask" m JOIN "CcRemediationTask" t ON t."connectionId" = m."connectionId" AND t."sysId" = m."taskSysId"
       WHERE m."connectionId" = c."connectionId" AND m."resultSysId" = c."sysId"
       ORDER BY (t."stateLabel" <> 'Closed') DESC, t."snUpdatedAt" DESC LIMIT 1
     ) t ON true
     WHERE c."findingId" = ANY($1::uuid[])
     ORDER BY c."findingId", c."isActive" DESC, c."snUpdatedAt" DESC`,
    [ids],
  );
  return new Map(
    rows.map((r) => [
      r.findingId,
      {
        result: r.result,
        number: r.number,
        testName: r.testName,
        updatedAt: r.snUpdatedAt.toISOString(),
        connectionName: r.connectionName,
        remediationTask: r.taskNumber
          ? { number: r.taskNumber, state: r.taskState ?? "Unknown", url: r.taskUrl ?? "", assignmentGroup: r.taskGroup }
          : null,
      },
    ]),
  );
}
