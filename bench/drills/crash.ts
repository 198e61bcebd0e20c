// Crash: SIGKILL where it hurts, then restart, and nothing is lost or duplicated.
//  A. The app process dies during POST /api/tickets after ServiceNow created the record and before
//     PostureDesk committed it (the window is held open by locking the Ticket table, so the app's
//     transaction waits right after the POST); the client repeats the request on the restarted app:
//     the record is adopted (correlation id lookup), not created again.
//  B. The worker running a sync dies during the Defender pass, and the worker running its replacement
//     dies during rule-driven ticket creation; the surviving worker resumes each time, the killed ones
//     are restarted. (lib/sync/chaos.int.test.ts kills workers many more times under faults; this drill
//     adds the app process, the production build and the ticket-creation window.)
import { checkJobs, checkRuns, serviceNowRecords, watchConcurrency } from "./checks";
import { expectEmpty, expectThat } from "./expect";
import { leaseHolder } from "./holder";
import { api } from "./http";
import { type Proc, stopProc, waitFor } from "./procs";
import { checkRuleOutcome, createConnection, createRule, enableRule, runNow, unhealthyFindings, waitSettled } from "./scenario";
import type { DrillContext, DrillResult } from "./scenario";

type TicketAnswer = { tickets: Array<{ id: string; number: string; isNew: boolean }> };

export async function crashDrill(ctx: DrillContext): Promise<DrillResult> {
  const { cluster, control, log } = ctx;
  const started = performance.now();
  const figures: Record<string, string | number> = {};
  const conn = await createConnection(cluster, cluster.apps[0]!, "crash");
  const findings = await unhealthyFindings(cluster, cluster.apps[0]!, ctx.keys);
  expectThat(findings.length >= 10, `the drill's slice has ${findings.length} unhealthy findings, need 10`);
  // The scheduler queues a first run for a new connection at once; let it finish so part A has the table to itself.
  await waitSettled(cluster, conn.id, 60_000);

  // ── A. the app dies between ServiceNow's POST and the database commit ──────────────────────────
  const body = { connectionId: conn.id, type: "incident", grouping: "single", findingIds: findings.slice(0, 2).map((f) => f.id) };
  const victim = cluster.apps[1]!;
  const locker = await cluster.sql.connect();
  let answer: Promise<unknown>;
  try {
    await locker.query("BEGIN");
    // SHARE: reads go on, inserts wait — the app's transaction stops at its first write after the POST.
    await locker.query(`LOCK TABLE "Ticket" IN SHARE MODE`);
    answer = api(victim, cluster.token, "POST", "/api/tickets", { body, timeoutMs: 60_000 }).catch((e: Error) => e);
    await waitFor(
      "the ServiceNow record and the app's transaction waiting on the Ticket table",
      async () => {
        const records = await serviceNowRecords(control, conn.correlationPrefix);
        const { rows } = await cluster.sql.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%"Ticket"%'`,
        );
        return records.length === 1 && rows[0]!.n > 0;
      },
      30_000,
      50,
    );
    await stopProc(victim, "SIGKILL");
  } finally {
    await locker.query("ROLLBACK").catch(() => {});
    locker.release();
  }
  const inFlight = await answer;
  expectThat(inFlight instanceof Error, `the request to the killed app answered instead of failing: ${JSON.stringify(inFlight)}`);
  const orphan = (await serviceNowRecords(control, conn.correlationPrefix))[0]!;
  // The dead app's session ends when the server next writes to it; its transaction never commits.
  await waitFor(
    "the dead app's transaction to end",
    async () =>
      (await cluster.sql.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%"Ticket"%'`)).rowCount ===
      0,
    30_000,
  );
  const { rows: none } = await cluster.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Ticket" WHERE "connectionId" = $1::uuid`, [
    conn.id,
  ]);
  expectThat(none[0]!.n === 0, `${none[0]!.n} ticket row(s) committed by a killed app`);
  const restartStarted = performance.now();
  const app = await cluster.restart(victim);
  figures["app restart to ready"] = `${((performance.now() - restartStarted) / 1000).toFixed(1)} s`;
  const retry = await api<TicketAnswer>(app, cluster.token, "POST", "/api/tickets", { body });
  expectThat(retry.status === 201, `the repeated request answered ${retry.status}: ${JSON.stringify(retry.body)}`);
  expectThat(
    retry.body.tickets[0]!.number === orphan.number,
    `the repeat created ${retry.body.tickets[0]!.number}; ServiceNow already had ${orphan.number}`,
  );
  const records = await serviceNowRecords(control, conn.correlationPrefix);
  expectThat(records.length === 1, `${records.length} ServiceNow records for one ticket request`);
  const { rows: audit } = await cluster.sql.query<{ after: { recoveredExisting?: boolean } }>(
    `SELECT "after" FROM "AuditLog" WHERE "action" = 'ticket.create' AND "targetId" = $1`,
    [retry.body.tickets[0]!.id],
  );
  expectThat(
    audit.length === 1 && audit[0]!.after.recoveredExisting === true,
    "the audit entry does not say the ServiceNow record was recovered",
  );
  figures["app SIGKILL after ServiceNow POST"] =
    `record ${orphan.number} left in ServiceNow, no row committed; the repeat on the restarted app adopted it (201, 1 record)`;
  log(`A: app killed after the POST of ${orphan.number}; the repeat adopted it`);

  // ── B. workers die during the Defender pass and during rule-driven ticket creation ─────────────
  const rule = await createRule(cluster, cluster.apps[0]!, conn.id, ctx.keys, "per_finding");
  // Slow enough to aim at: each ticket POST takes 150 ms, the Defender listing 1 s more.
  await control("servicenow", "POST", "/_emulator/faults", [
    { id: "crash-slow-post", emulator: "servicenow", method: "POST", path: "/api/now/table/incident", kind: "latency", latencyMs: 150 },
  ]);
  await control("arm", "POST", "/_emulator/faults", [
    {
      id: "crash-slow-rg",
      emulator: "arm",
      method: "POST",
      path: "/providers/Microsoft.ResourceGraph/resources",
      kind: "latency",
      latencyMs: 1000,
    },
  ]);
  const concurrency = watchConcurrency(cluster.sql);
  const killedRuns: string[] = [];
  const kills: string[] = [];
  try {
    await enableRule(cluster, cluster.apps[0]!, rule.id);
    const { runId } = await runNow(cluster, cluster.apps[0]!, conn.id, "full");
    const killAt = async (
      label: string,
      isTarget: (run: { phase: string | null; ruleTickets: number; inDefenderPass: boolean }) => boolean,
    ): Promise<void> => {
      const { run, holder } = await waitFor(
        `a run in ${label}`,
        async () => {
          // Rule tickets commit one by one; the run's own progress is only written every few seconds.
          // A tenant's Defender pass is its own run (defender_ingest), linked by counts.connectionRunId.
          const { rows } = await cluster.sql.query<{
            id: string;
            phase: string | null;
            ruleTickets: number;
            jobId: string | null;
            inDefenderPass: boolean;
          }>(
            `SELECT "id", "phase", "jobId", (SELECT count(*)::int FROM "Ticket" t WHERE t."connectionId" = r."connectionId" AND t."createdByType" = 'rule') AS "ruleTickets",
                    EXISTS (SELECT 1 FROM "SyncRun" d WHERE d."kind" = 'defender_ingest' AND d."status" = 'running' AND d."counts"->>'connectionRunId' = r."id"::text) AS "inDefenderPass"
               FROM "SyncRun" r WHERE "connectionId" = $1::uuid AND "status" = 'running'`,
            [conn.id],
          );
          const r = rows.find(isTarget);
          if (!r) return undefined;
          const h = await leaseHolder(cluster.sql, cluster.workers, conn.id);
          return h ? { run: r, holder: h } : undefined;
        },
        90_000,
        50,
      );
      await stopProc(holder, "SIGKILL");
      killedRuns.push(run.id);
      if (run.jobId) cluster.killedJobs.add(run.jobId);
      log(`B: SIGKILL ${holder.name} (pid ${holder.pid}) at ${run.phase}, ${run.ruleTickets}/${rule.planned.length} rule tickets`);
      kills.push(`${run.phase?.split(":")[0]} (${run.ruleTickets}/${rule.planned.length} rule tickets)`);
      await cluster.restart(holder as Proc);
    };
    await killAt("the Defender pass", (r) => r.inDefenderPass || (r.phase ?? "").startsWith("ingest-defender"));
    await killAt(
      "rule ticket creation (≥ 25 %)",
      (r) => (r.phase ?? "").startsWith("rules") && r.ruleTickets >= Math.ceil(rule.planned.length / 4),
    );
    await waitSettled(cluster, conn.id, 180_000);
    expectThat(killedRuns[0] === runId, "the first kill did not hit the requested run");
  } finally {
    concurrency.stop();
    await control("servicenow", "DELETE", "/_emulator/faults/crash-slow-post").catch(() => {});
    await control("arm", "DELETE", "/_emulator/faults/crash-slow-rg").catch(() => {});
  }

  // ── checks ─────────────────────────────────────────────────────────────────────────────────
  const outcome = await checkRuleOutcome(cluster, control, conn, rule);
  const runs = await checkRuns(cluster.sql, { connectionId: conn.id });
  expectEmpty(runs.problems, "runs");
  expectEmpty((await checkJobs(cluster.sql, runs.runs, { connectionId: conn.id, killedJobs: cluster.killedJobs })).problems, "jobs");
  for (const id of killedRuns) {
    const r = runs.runs.find((x) => x.id === id);
    expectThat(r?.status === "failed" && (r.error ?? "").startsWith("Interrupted"), `killed run ${id} ended ${r?.status} (${r?.error})`);
  }
  const last = runs.runs.filter((r) => r.trigger === "api").at(-1)!;
  expectThat(last.status === "succeeded", `the run that resumed the work ended ${last.status}: ${last.error}`);
  expectThat(concurrency.max() <= 1, `${concurrency.max()} runs of one connection were running at once`);
  figures["worker SIGKILLs"] =
    `${kills.join(", ")}: ${killedRuns.length} runs closed "Interrupted", resumed by the other worker; ${outcome.ruleTickets} rule tickets = dry run`;
  figures.tickets = `${outcome.tickets} in PostureDesk = ${outcome.tickets} in ServiceNow, ${outcome.links} active links, one "created" event per rule ticket`;
  figures.runs = runs.runs.map((r) => `${r.trigger}:${r.status}`).join(", ");
  return { name: "crash", seconds: (performance.now() - started) / 1000, figures };
}
