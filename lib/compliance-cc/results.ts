import "server-only";

// Findings → sn_vulc_result through the Import Set API, incrementally. One SQL statement computes, for
// every exportable finding of the connection, the row it would send and a hash of it, and returns only
// the rows whose hash differs from what CcExportState says was sent last (set-based diff). Unhealthy is
// Failed, Healthy Passed; a finding that was exported and is now NotApplicable or no longer reported
// is sent once more as Passed (the instance closes its result). Rows go out in batches; the state of a
// row is written only when the instance confirmed it, so a failed batch is simply sent again next time.
import { pool } from "@/lib/db";
import { AppError, isAppError } from "@/lib/http/errors";
import { formatServiceNowDateTime, type ImportRow, type ImportRowResult } from "@/lib/servicenow";
import { type SyncEventInput } from "@/lib/sync/events";
import { chunks, type CcContext, recordEvents } from "./context";
import { DEFENDER_SOURCE, IMPORT_BATCH, resultSourceId, RISK_RATING } from "./source";

const DIFF_SQL = `
  WITH cand AS (
    SELECT f."id", f."armId", f."resourceId", f."resourceName", f."recommendationKey", t."testSysId",
      COALESCE(f."firstEvaluationAt", f."firstSeenAt") AS "firstFound", f."lastSeenAt" AS "lastFound",
      CASE WHEN f."removedAt" IS NULL AND f."status" = 'Unhealthy' THEN 'Failed' ELSE 'Passed' END AS "result",
      CASE f."severity" WHEN 'High' THEN '${RISK_RATING.High}' WHEN 'Medium' THEN '${RISK_RATING.Medium}' ELSE '${RISK_RATING.Low}' END AS "risk",
      CASE
        WHEN f."removedAt" IS NOT NULL THEN 'No longer reported by ${DEFENDER_SOURCE}'
        WHEN f."status" = 'Healthy' THEN 'Healthy'
        WHEN f."status" = 'NotApplicable' THEN 'Not applicable' || COALESCE(' (' || f."statusCause" || ')', '') || COALESCE(': ' || f."statusDescription", '')
        ELSE 'Unhealthy' || COALESCE(' (' || f."statusCause" || ')', '') || COALESCE(': ' || f."statusDescription", '')
      END AS "actual",
      s."lastHash", s."lastResult"
    FROM "Finding" f
    JOIN "AzureTenant" a ON a."id" = f."azureTenantId" AND a."deletedAt" IS NULL
    JOIN "CcTest" t ON t."connectionId" = $1::uuid AND t."recommendationKey" = f."recommendationKey"
    LEFT JOIN "CcExportState" s ON s."connectionId" = $1::uuid AND s."findingId" = f."id"
    WHERE ($2::uuid[] IS NULL OR f."id" = ANY($2::uuid[]))
      AND ((f."removedAt" IS NULL AND f."status" IN ('Healthy', 'Unhealthy')) OR s."id" IS NOT NULL)
  ), hashed AS (
    SELECT cand.*, md5(concat_ws('|', "result", "risk", to_char("firstFound" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), "testSysId", lower("resourceId"), 'Healthy', "actual")) AS "hash"
    FROM cand
  )
  SELECT * FROM hashed WHERE "hash" IS DISTINCT FROM "lastHash" ORDER BY "recommendationKey", "armId"`;

type Pending = {
  id: string;
  armId: string;
  resourceId: string;
  resourceName: string;
  recommendationKey: string;
  testSysId: string;
  firstFound: Date;
  lastFound: Date;
  result: "Failed" | "Passed";
  risk: string;
  actual: string;
  hash: string;
  lastHash: string | null;
  lastResult: string | null;
};

const SAVE_SQL = `
  INSERT INTO "CcExportState" ("connectionId", "findingId", "resultSysId", "lastResult", "lastHash", "lastExportedAt")
  SELECT $1::uuid, s."findingId", s."sysId", s."result", s."hash", now()
  FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[]) AS s("findingId", "sysId", "result", "hash")
  ON CONFLICT ("connectionId", "findingId") DO UPDATE
    SET "resultSysId" = COALESCE(EXCLUDED."resultSysId", "CcExportState"."resultSysId"), "lastResult" = EXCLUDED."lastResult",
        "lastHash" = EXCLUDED."lastHash", "lastExportedAt" = EXCLUDED."lastExportedAt"`;

export function importRowOf(p: Pending): ImportRow {
  return {
    u_source: DEFENDER_SOURCE,
    u_source_id: resultSourceId(p.armId),
    u_result: p.result,
    u_risk_rating: p.risk,
    u_first_found: formatServiceNowDateTime(p.firstFound),
    u_last_found: formatServiceNowDateTime(p.lastFound),
    u_test: p.testSysId,
    u_cloud_resource_id: p.resourceId,
    u_expected: "Healthy",
    u_actual: p.actual,
  };
}

/** A refusal of the whole Import Set API (not of one row): the instance is not set up for CC. */
export function importSetRefusal(error: unknown, stagingTable: string): AppError | null {
  if (!isAppError(error)) return null;
  if (error.code === "UPSTREAM_NOT_FOUND") {
    return new AppError("CONFLICT", {
      message: `Configuration Compliance export: the import staging table "${stagingTable}" does not exist on the instance (${error.userMessage}). Create it with its transform map into sn_vulc_result (docs/OPERATIONS.md), or correct the staging table of the connection.`,
      cause: error,
    });
  }
  if (error.code === "UPSTREAM_FORBIDDEN") {
    return new AppError("CONFLICT", {
      message: `Configuration Compliance export: the integration user may not load import sets (${error.userMessage}). Grant it import_set_loader and import_transformer (or sn_vulc.import_admin) and sn_vulc.admin.`,
      cause: error,
    });
  }
  return null;
}

export type ResultsOutcome = { sent: number; failed: number; inserted: number; updated: number; unchanged: number; toPassed: number; toFailed: number };

/** Sends every changed result of the connection (only those of `findingIds` when given). */
export async function exportResults(ctx: CcContext, findingIds: string[] | null = null): Promise<ResultsOutcome> {
  const { rows } = await pool().query<Pending>(DIFF_SQL, [ctx.connection.id, findingIds]);
  const outcome: ResultsOutcome = { sent: 0, failed: 0, inserted: 0, updated: 0, unchanged: 0, toPassed: 0, toFailed: 0 };
  const newByTest = new Map<string, { failed: number; passed: number }>();
  const batches = chunks(rows, IMPORT_BATCH);
  ctx.onProgress?.(0, rows.length);

  for (const batch of batches) {
    ctx.assertAlive?.();
    let answer: ImportRowResult[];
    try {
      answer = (await ctx.client.importSet(ctx.connection.ccStagingTable, batch.map(importRowOf))).result ?? [];
    } catch (error) {
      throw importSetRefusal(error, ctx.connection.ccStagingTable) ?? error;
    }
    const saved = { findingIds: [] as string[], sysIds: [] as Array<string | null>, results: [] as string[], hashes: [] as string[] };
    const events: SyncEventInput[] = [];
    batch.forEach((p, i) => {
      const row = answer[i];
      const status = row?.status ?? "missing";
      if (status === "inserted" || status === "updated" || status === "ignored") {
        saved.findingIds.push(p.id);
        saved.sysIds.push(row?.sys_id || null);
        saved.results.push(p.result);
        saved.hashes.push(p.hash);
        outcome[status === "ignored" ? "unchanged" : status]++;
        if (p.lastResult && p.lastResult !== p.result) {
          outcome[p.result === "Passed" ? "toPassed" : "toFailed"]++;
          events.push({
            action: "exported",
            entityType: "cc_result",
            entityId: row?.sys_id || null,
            findingId: p.id,
            before: { result: p.lastResult },
            after: { result: p.result, number: row?.display_value ?? null },
            message: `${row?.display_value || "Test result"} for ${p.resourceName}: ${p.lastResult} → ${p.result}`,
          });
        } else if (!p.lastResult) {
          const tally = newByTest.get(p.testSysId) ?? { failed: 0, passed: 0 };
          tally[p.result === "Failed" ? "failed" : "passed"]++;
          newByTest.set(p.testSysId, tally);
        }
        if (row?.status_message) {
          // Accepted, with a remark (typically: no CI matches the cloud resource id).
          events.push({ action: "skipped", entityType: "cc_result", entityId: row.sys_id || null, findingId: p.id, message: `${p.resourceName}: ${row.status_message}` });
        }
      } else {
        outcome.failed++;
        events.push({
          action: "error",
          entityType: "cc_result",
          findingId: p.id,
          message: `ServiceNow did not import the result for ${p.resourceName} (${status}): ${row?.status_message || row?.error_message || "no answer for this row"}`,
          isRetryable: true,
        });
      }
    });
    if (saved.findingIds.length > 0) await pool().query(SAVE_SQL, [ctx.connection.id, saved.findingIds, saved.sysIds, saved.results, saved.hashes]);
    outcome.sent += batch.length;
    await recordEvents(ctx, events);
    ctx.onProgress?.(outcome.sent, rows.length);
  }

  if (newByTest.size > 0) {
    const names = new Map(
      (await pool().query<{ testSysId: string; name: string }>(
        `SELECT t."testSysId", r."displayName" AS name FROM "CcTest" t JOIN "Recommendation" r ON r."key" = t."recommendationKey" WHERE t."connectionId" = $1::uuid AND t."testSysId" = ANY($2::text[])`,
        [ctx.connection.id, [...newByTest.keys()]],
      )).rows.map((r) => [r.testSysId, r.name]),
    );
    await recordEvents(
      ctx,
      [...newByTest].map(([testSysId, n]) => ({
        action: "exported" as const,
        entityType: "cc_test" as const,
        entityId: testSysId,
        after: n,
        message: `${n.failed + n.passed} new test results for "${names.get(testSysId) ?? testSysId}" (${n.failed} Failed, ${n.passed} Passed)`,
      })),
    );
  }
  return outcome;
}
