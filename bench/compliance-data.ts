// Compliance data on top of bench/recommendations-api-data.ts's synthetic workspace (100,000 findings,
// 20 subscriptions, 10,000 tickets): secure scores, four regulatory standards (60 controls each, three
// assessments per control, per subscription), ticket ages and resolutions for the SLA figures, and a
// year of daily ComplianceSnapshot rows — all generated set-based.
import type pg from "pg";

export const STANDARDS = ["Microsoft-cloud-security-benchmark", "PCI-DSS-3.2.1", "ISO-27001", "SOC-TSP"];
const CONTROLS = 60;

export async function seedCompliance(pool: pg.Pool, days: number): Promise<{ controls: number; assessments: number; snapshots: number }> {
  await pool.query(
    `INSERT INTO "SecureScore" ("subscriptionId", "name", "displayName", "current", "max", "percentage", "weight", "updatedAt")
     SELECT s."subscriptionId", 'ascScore', 'ASC score', round((20 + abs(hashtext(s."subscriptionId")) % 30)::numeric, 2)::float8, 58, 0, 0, now()
     FROM "Subscription" s`,
  );
  const controls = await pool.query(
    `INSERT INTO "RegulatoryControl" ("subscriptionId", "standardName", "name", "description", "state", "passedAssessments", "failedAssessments", "skippedAssessments", "updatedAt")
     SELECT s."subscriptionId", st.name, st.idx || '.' || c, 'Control ' || st.idx || '.' || c || ' of ' || st.name,
       CASE WHEN h < 55 THEN 'Passed' WHEN h < 85 THEN 'Failed' WHEN h < 95 THEN 'Skipped' ELSE 'Unsupported' END,
       CASE WHEN h < 55 THEN 3 WHEN h < 85 THEN 1 ELSE 0 END, CASE WHEN h >= 55 AND h < 85 THEN 2 ELSE 0 END, CASE WHEN h >= 85 AND h < 95 THEN 3 ELSE 0 END, now()
     FROM "Subscription" s
     CROSS JOIN unnest($1::text[]) WITH ORDINALITY AS st(name, idx)
     CROSS JOIN generate_series(1, ${CONTROLS}) c
     CROSS JOIN LATERAL (SELECT abs(hashtext(s."subscriptionId" || st.name || c)) % 100 AS h) x`,
    [STANDARDS],
  );
  const assessments = await pool.query(
    `INSERT INTO "RegulatoryAssessment" ("subscriptionId", "standardName", "controlName", "name", "description", "recommendationKey", "state",
       "passedResources", "failedResources", "skippedResources", "updatedAt")
     SELECT c."subscriptionId", c."standardName", c."name", r."key", r."displayName", r."key",
       CASE WHEN c."state" = 'Failed' AND a <= 2 THEN 'Failed' WHEN c."state" IN ('Skipped', 'Unsupported') THEN c."state" ELSE 'Passed' END,
       10, CASE WHEN c."state" = 'Failed' AND a <= 2 THEN 7 ELSE 0 END, 0, now()
     FROM "RegulatoryControl" c
     CROSS JOIN generate_series(1, 3) a
     JOIN "Recommendation" r ON r."key" = format('00000000-0000-4000-9000-%s', lpad(((abs(hashtext(c."standardName" || c."name")) + a * 7) % 300)::text, 12, '0'))`,
  );
  await pool.query(
    `INSERT INTO "RegulatoryStandard" ("subscriptionId", "name", "state", "passedControls", "failedControls", "skippedControls", "unsupportedControls", "updatedAt")
     SELECT "subscriptionId", "standardName", CASE WHEN bool_or("state" = 'Failed') THEN 'Failed' ELSE 'Passed' END,
       count(*) FILTER (WHERE "state" = 'Passed'), count(*) FILTER (WHERE "state" = 'Failed'), count(*) FILTER (WHERE "state" = 'Skipped'), count(*) FILTER (WHERE "state" = 'Unsupported'), now()
     FROM "RegulatoryControl" GROUP BY 1, 2`,
  );
  // Ticket ages, resolutions, groups: what the SLA figures read.
  await pool.query(
    `UPDATE "Ticket" SET "createdAt" = now() - ((substr("number", 4)::int % 200) || ' days')::interval,
       "assignmentGroupName" = 'Group ' || (substr("number", 4)::int % 10)`,
  );
  await pool.query(
    `UPDATE "Ticket" SET "resolvedAt" = "createdAt" + ((substr("number", 4)::int % 40) || ' days')::interval WHERE "state" <> 'open'`,
  );
  // A year of daily snapshots: scores creeping up, findings creeping down, with a weekly wobble.
  const snapshots = await pool.query(
    `INSERT INTO "ComplianceSnapshot" ("day", "subscriptionId", "secureScoreCurrent", "secureScoreMax", "secureScorePercent", "unhealthyHigh", "unhealthyMedium",
       "unhealthyLow", "healthy", "notApplicable", "openTickets", "overdueTickets", "coveredUnhealthy", "drift", "standards", "updatedAt")
     SELECT d::date, s."subscriptionId", sc, 58, round((100 * sc / 58)::numeric, 2)::float8,
       greatest(0, 1200 - t * 2 + w), greatest(0, 1150 - t + w), greatest(0, 1100 - t), 900 + t * 2, 170, 350 - t / 2, 40 + w, 600 + t, 5 + t % 7,
       '[{"name":"PCI-DSS-3.2.1","passed":33,"failed":18,"skipped":6}]'::jsonb, now()
     FROM "Subscription" s
     CROSS JOIN generate_series(current_date - ($1::int - 1), current_date, '1 day') d
     CROSS JOIN LATERAL (SELECT (d::date - (current_date - ($1::int - 1)))::int AS t) tt
     CROSS JOIN LATERAL (SELECT (extract(dow FROM d)::int * 7) AS w, round((20 + t * 0.05 + abs(hashtext(s."subscriptionId")) % 10)::numeric, 2)::float8 AS sc) x`,
    [days],
  );
  return { controls: controls.rowCount ?? 0, assessments: assessments.rowCount ?? 0, snapshots: snapshots.rowCount ?? 0 };
}
