import "server-only";
import { pool } from "@/lib/db";
import { writeComplianceSnapshot } from "@/lib/compliance/snapshot-sql";
import { logger } from "@/lib/log";

// Demo part (npm start on the embedded default only): a product installed today has one day of
// ComplianceSnapshot history, so every trend chart would be a single point. Once the first ingestion
// has written today's snapshot, this backfills the 90 days before it per subscription — synthetic,
// deterministic, and plausible: findings slowly falling, secure score slowly rising, tickets ramping up
// as the team adopts the product. It never touches a day that already has a snapshot, and runs once.

const HISTORY_KEY = "demo.history";
const DAYS = 90;
const POLL_MS = 3_000;
const GIVE_UP_MS = 15 * 60_000;

export async function backfillDemoHistory(days = DAYS): Promise<number> {
  const { rowCount } = await pool().query(
    `INSERT INTO "ComplianceSnapshot" ("day", "subscriptionId", "secureScoreCurrent", "secureScoreMax", "secureScorePercent",
       "unhealthyHigh", "unhealthyMedium", "unhealthyLow", "healthy", "notApplicable", "openTickets", "overdueTickets",
       "coveredUnhealthy", "drift", "standards", "updatedAt")
     SELECT s."day" - g.d, s."subscriptionId",
       round((p.pct * s."secureScoreMax" / 100)::numeric, 2)::float8, s."secureScoreMax", round(p.pct::numeric, 2)::float8,
       round(s."unhealthyHigh" * p.growth)::int, round(s."unhealthyMedium" * p.growth)::int, round(s."unhealthyLow" * p.growth)::int,
       greatest(0, round(s."healthy" - (s."unhealthyHigh" + s."unhealthyMedium" + s."unhealthyLow") * (p.growth - 1)))::int,
       s."notApplicable",
       round(s."openTickets" * p.adoption)::int, round(s."openTickets" * p.adoption * 0.12)::int,
       round(s."coveredUnhealthy" * p.adoption)::int, 0, s."standards", now()
     FROM "ComplianceSnapshot" s
     CROSS JOIN generate_series(1, $1::int) AS g(d)
     CROSS JOIN LATERAL (
       SELECT
         -- More findings in the past (≈ 0.5 % a day) with a weekly wobble.
         1 + 0.005 * g.d + 0.02 * sin(g.d / 3.5 + (hashtext(s."subscriptionId") % 7)) AS growth,
         -- Secure score a little lower in the past, never below 0.
         greatest(0, coalesce(s."secureScorePercent", 0) - 0.09 * g.d + 1.2 * sin(g.d / 6.0 + (hashtext(s."subscriptionId") % 5))) AS pct,
         -- Tickets appear as the product is adopted over the last two months.
         greatest(0, 1 - g.d / 60.0) AS adoption
     ) p
     WHERE s."day" = (SELECT max("day") FROM "ComplianceSnapshot")
     ON CONFLICT ("day", "subscriptionId") DO NOTHING`,
    [days],
  );
  return rowCount ?? 0;
}

async function isDone(): Promise<boolean> {
  const { rows } = await pool().query(`SELECT 1 FROM "AppSetting" WHERE "key" = $1`, [HISTORY_KEY]);
  return rows.length > 0;
}

export async function bootstrapDemoHistory(): Promise<string> {
  if (await isDone()) return "compliance history present";
  const log = logger().child({ part: "demo.history" });
  const started = Date.now();
  const tick = async () => {
    try {
      // The history is derived from today's snapshot: wait until the first ingestion has finished, then
      // write today's snapshot from the complete data (a sync may have written one mid-ingestion).
      const { rows } = await pool().query<{ n: string }>(
        `SELECT count(*) AS n FROM "SyncRun" WHERE "kind" = 'defender_ingest' AND "status" IN ('succeeded', 'partial')`,
      );
      if (Number(rows[0].n) > 0) {
        await writeComplianceSnapshot();
        const inserted = await backfillDemoHistory();
        await pool().query(`INSERT INTO "AppSetting" ("key", "value", "updatedAt") VALUES ($1, $2, now()) ON CONFLICT ("key") DO NOTHING`, [
          HISTORY_KEY,
          JSON.stringify({ days: DAYS, inserted }),
        ]);
        log.info({ inserted }, "demo compliance history backfilled");
        return;
      }
    } catch (error) {
      log.warn({ err: error }, "demo history not written yet; retrying");
    }
    if (Date.now() - started < GIVE_UP_MS) setTimeout(() => void tick(), POLL_MS).unref();
  };
  setTimeout(() => void tick(), POLL_MS).unref();
  return `${DAYS} days of synthetic compliance history follow the first ingestion`;
}
