// Database restart during a sync: PostgreSQL is stopped (fast shutdown, what `pg_ctl stop -m fast`
// does: every session is ended at once) while a run is creating rule tickets, and started again a few
// seconds later on the same port. While it is down the apps report not_ready (503) and stay alive;
// after it is back: the run that was cut off ended failed (never "succeeded"), the ServiceNow
// watermark had not moved, no half-written ticket is visible, the work is picked up again without
// anyone restarting a process, and ServiceNow and PostureDesk agree one to one once it has finished
// (a record created in ServiceNow just before the cut is adopted, not duplicated).
import { checkJobs, checkRuns } from "./checks";
import { expectEmpty, expectThat } from "./expect";
import { api, apiOk } from "./http";
import { sleep, waitFor } from "./procs";
import { checkRuleOutcome, createConnection, createRule, enableRule, runNow, unhealthyFindings, waitSettled } from "./scenario";
import type { DrillContext, DrillResult } from "./scenario";

const DOWN_SECONDS = 4;

export async function dbRestartDrill(ctx: DrillContext): Promise<DrillResult> {
  const { cluster, control, log } = ctx;
  const started = performance.now();
  const [a, b] = [cluster.apps[0]!, cluster.apps[1]!];
  const crashesBefore = cluster.crashes.length;
  const conn = await createConnection(cluster, a, "dbrestart");
  await waitSettled(cluster, conn.id, 60_000);
  // A first run with tickets sets the ServiceNow watermark the cut-off run must not move.
  const findings = await unhealthyFindings(cluster, a, ctx.keys);
  await apiOk(b, cluster.token, "POST", "/api/tickets", 201, {
    body: { connectionId: conn.id, type: "incident", grouping: "per-finding", findingIds: findings.slice(0, 2).map((f) => f.id) },
  });
  await runNow(cluster, a, conn.id);
  await waitSettled(cluster, conn.id, 60_000);
  const watermark = async () =>
    (await cluster.sql.query<{ w: Date | null }>(`SELECT "snWatermark" AS w FROM "ServiceNowConnection" WHERE "id" = $1::uuid`, [conn.id]))
      .rows[0]!.w;
  const before = await watermark();
  expectThat(before !== null, "the first run did not set a watermark");

  const rule = await createRule(cluster, a, conn.id, ctx.keys, "per_finding");
  await enableRule(cluster, a, rule.id);
  // Each incident POST takes a second, so the rules phase lasts long enough to be seen under way and cut.
  // Tickets are created concurrently: with a rule of two tickets both land together and the run ends at
  // once, so "under way" asks for a quarter of the plan rounded down (none of two: POSTs in flight).
  await control("servicenow", "POST", "/_emulator/faults", [
    {
      id: "dbrestart-slow-post",
      emulator: "servicenow",
      method: "POST",
      path: "/api/now/table/incident",
      kind: "latency",
      latencyMs: 1_000,
    },
  ]);
  const figures: Record<string, string | number> = {};
  let cutRun: string;
  try {
    const { runId } = await runNow(cluster, b, conn.id);
    cutRun = runId;
    await waitFor(
      "rule ticket creation under way",
      async () => {
        const { rows } = await cluster.sql.query<{ phase: string | null; n: number }>(
          `SELECT r."phase", (SELECT count(*)::int FROM "Ticket" t WHERE t."connectionId" = r."connectionId" AND t."createdByType" = 'rule') AS n FROM "SyncRun" r WHERE r."id" = $1::uuid AND r."status" = 'running'`,
          [runId],
        );
        return rows[0] && (rows[0].phase ?? "").startsWith("rules") && rows[0].n >= Math.floor(rule.planned.length / 4);
      },
      90_000,
      50,
    );
    const { rows: at } = await cluster.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Ticket" WHERE "connectionId" = $1::uuid AND "createdByType" = 'rule'`,
      [conn.id],
    );
    const stopStarted = performance.now();
    await cluster.stopDatabase();
    log(
      `PostgreSQL stopped (fast) at ${at[0]!.n}/${rule.planned.length} rule tickets, in ${Math.round(performance.now() - stopStarted)} ms`,
    );

    // Down: readiness says so on both apps, liveness does not, and an API call fails cleanly.
    const downStarted = performance.now();
    const notReady = await Promise.all(
      [a, b].map((app) =>
        waitFor(
          `${app.name} to report not_ready`,
          async () => {
            const r = await api<{ status: string; database: string }>(app, cluster.token, "GET", "/api/ready", { timeoutMs: 10_000 });
            return r.status === 503 && r.body.database === "unreachable" ? performance.now() - downStarted : undefined;
          },
          15_000,
          200,
        ),
      ),
    );
    const health = await Promise.all([a, b].map((app) => api(app, cluster.token, "GET", "/api/health", { timeoutMs: 10_000 })));
    expectThat(
      health.every((h) => h.status === 200),
      `/api/health while the database is down: ${health.map((h) => h.status).join(",")}`,
    );
    const during = await api<{ status?: number; code?: string }>(a, cluster.token, "GET", "/api/tickets?pageSize=5", { timeoutMs: 30_000 });
    expectThat(
      during.status === 503 && during.body.code === "SERVICE_UNAVAILABLE",
      `GET /api/tickets while the database is down answered ${during.status} ${during.body.code ?? ""} (expected 503 SERVICE_UNAVAILABLE)`,
    );
    figures["while down"] =
      `/api/ready 503 not_ready on both apps after ${Math.round(Math.max(...notReady))} ms; /api/health 200; GET /api/tickets ${during.status} ${during.body.code ?? ""} (problem+json)`;
    await sleep(Math.max(0, DOWN_SECONDS * 1000 - (performance.now() - downStarted)));

    const upStarted = performance.now();
    await cluster.startDatabase();
    // First look, before any worker can have finished a new run: the cut-off run did not commit.
    const cut = (
      await cluster.sql.query<{ status: string; finishedAt: Date | null }>(
        `SELECT "status", "finishedAt" FROM "SyncRun" WHERE "id" = $1::uuid`,
        [runId],
      )
    ).rows[0]!;
    const after = await watermark();
    expectThat(cut.status === "running" || cut.status === "failed", `the cut-off run is ${cut.status}`);
    expectThat(
      after?.getTime() === before!.getTime(),
      `the watermark moved from ${before!.toISOString()} to ${after?.toISOString()} while the run was cut off`,
    );
    const { rows: halfWritten } = await cluster.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Ticket" t WHERE t."connectionId" = $1::uuid AND NOT EXISTS (SELECT 1 FROM "TicketLink" l WHERE l."ticketId" = t."id")`,
      [conn.id],
    );
    expectThat(halfWritten[0]!.n === 0, `${halfWritten[0]!.n} ticket(s) without links after the restart`);
    const ready = await Promise.all(
      [a, b].map((app) =>
        waitFor(
          `${app.name} to be ready again`,
          async () =>
            (await api(app, cluster.token, "GET", "/api/ready", { timeoutMs: 5_000 })).status === 200
              ? performance.now() - upStarted
              : undefined,
          60_000,
          200,
        ),
      ),
    );
    figures["after restart"] =
      `cut-off run ${cut.status}, watermark unchanged, no ticket without links; /api/ready 200 on both apps ${Math.round(Math.max(...ready))} ms after the start`;
    await waitSettled(cluster, conn.id, 240_000);
  } finally {
    await control("servicenow", "DELETE", "/_emulator/faults/dbrestart-slow-post").catch(() => {});
  }

  // Every app process and every standalone worker rode out the outage without a restart.
  const crashed = cluster.crashes.slice(crashesBefore);
  expectThat(crashed.length === 0, `processes exited during the outage: ${crashed.map((c) => `${c.name}: ${c.output}`).join("\n")}`);
  const outcome = await checkRuleOutcome(cluster, control, conn, rule);
  const runs = await checkRuns(cluster.sql, { connectionId: conn.id });
  expectEmpty(runs.problems, "runs");
  const jobs = await checkJobs(cluster.sql, runs.runs, { connectionId: conn.id, killedJobs: cluster.killedJobs });
  const cutRow = runs.runs.find((r) => r.id === cutRun)!;
  expectThat(cutRow.status === "failed", `the cut-off run ended ${cutRow.status}`);
  const lastRun = runs.runs.at(-1)!;
  expectThat(lastRun.status === "succeeded", `the run that finished the work ended ${lastRun.status}: ${lastRun.error}`);
  const final = await watermark();
  expectThat(final !== null && final.getTime() >= before!.getTime(), "the watermark went backwards");
  figures.outcome = `cut-off run failed ("${(cutRow.error ?? "").slice(0, 80)}"); ${runs.runs.filter((r) => r.startedAt && r.startedAt > cutRow.startedAt!).length} later run(s), last ${lastRun.status}`;
  figures.processes = "every app and worker survived";
  figures.tickets = `${outcome.tickets} in PostureDesk = ${outcome.tickets} in ServiceNow, rule tickets = dry run (${outcome.ruleTickets})`;
  figures.jobs = jobs.problems.length ? `pg-boss: ${jobs.problems.join("; ")}` : "pg-boss: every job completed once";
  return { name: "db-restart", seconds: (performance.now() - started) / 1000, figures };
}
