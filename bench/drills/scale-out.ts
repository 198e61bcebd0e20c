// Scale-out: two app processes and two workers on one database. Ticket requests for the same findings
// arrive concurrently at both apps; "Run now" is pressed on both; ServiceNow's webhook reaches one app
// while duplicate (and one forged) notifications reach the other. Then: each pg-boss job ran once, each
// request got the run it should (coalesced, none lost), never two runs of the connection at once, no
// duplicate ticket (PostureDesk and ServiceNow one to one), one "created" history line per ticket,
// metrics on both apps, and request ids in the JSON logs.
import { randomBytes } from "node:crypto";
import { signWebhookBody } from "@/lib/sync/signature";
import { checkJobs, checkRuns, runsFinishedTwice, watchConcurrency } from "./checks";
import { api } from "./http";
import { logLines } from "./procs";
import { checkRuleOutcome, createConnection, createRule, enableRule, runNow, unhealthyFindings, waitSettled } from "./scenario";
import type { DrillContext, DrillResult } from "./scenario";
import { expectEmpty, expectThat } from "./expect";

type TicketAnswer = { tickets: Array<{ id: string; number: string; isNew: boolean }> };

export async function scaleOutDrill(ctx: DrillContext): Promise<DrillResult> {
  const { cluster, control, log } = ctx;
  const started = performance.now();
  const [a, b] = [cluster.apps[0]!, cluster.apps[1]!];
  const concurrency = watchConcurrency(cluster.sql);
  try {
    const conn = await createConnection(cluster, b, "scale");
    // ServiceNow's business rule notifies app A; app B gets the same notifications from us (a duplicate delivery).
    await control("servicenow", "PUT", "/_emulator/webhook", {
      url: `http://127.0.0.1:${a.port}/api/webhooks/servicenow/${conn.id}`,
      secret: conn.webhookSecret,
      tables: ["incident"],
    });
    await control("servicenow", "DELETE", "/_emulator/webhook/deliveries");
    const findings = await unhealthyFindings(cluster, a, ctx.keys);
    expectThat(findings.length >= 16, `the drill's slice has ${findings.length} unhealthy findings, need 16`);

    // 1. Ticket requests: 4 "single" tickets of 2 findings and one "per-finding" request of 4 findings, each sent
    //    4 times at once — twice to each app.
    const bodies = [0, 1, 2, 3].map((i) => ({
      connectionId: conn.id,
      type: "incident",
      grouping: "single",
      findingIds: findings.slice(2 * i, 2 * i + 2).map((f) => f.id),
    }));
    const perFinding = {
      connectionId: conn.id,
      type: "incident",
      grouping: "per-finding",
      findingIds: findings.slice(8, 12).map((f) => f.id),
    };
    const requestId = `drill-scale-${randomBytes(6).toString("hex")}`;
    const calls = [...bodies, perFinding].flatMap((body, i) =>
      [a, b, a, b].map((app, j) =>
        api<TicketAnswer>(app, cluster.token, "POST", "/api/tickets", { body, ...(i === 0 && j === 0 ? { requestId } : {}) }),
      ),
    );
    const answers = await Promise.all(calls);
    const statuses = answers.map((r) => r.status);
    expectThat(
      statuses.every((s) => s === 200 || s === 201),
      `ticket requests answered ${[...new Set(statuses)].join(", ")} (want 200/201)`,
    );
    for (let i = 0; i < bodies.length; i++) {
      const group = answers.slice(4 * i, 4 * i + 4);
      const ids = new Set(group.map((r) => r.body.tickets.map((t) => t.id).join(",")));
      expectThat(ids.size === 1, `4 identical requests answered different tickets: ${[...ids].join(" | ")}`);
      expectThat(
        group.filter((r) => r.status === 201).length === 1,
        `4 identical requests: ${group.map((r) => r.status).join(",")} (want exactly one 201)`,
      );
    }
    const pf = answers.slice(16);
    expectThat(
      new Set(
        pf.map((r) =>
          r.body.tickets
            .map((t) => t.id)
            .sort()
            .join(","),
        ),
      ).size === 1 && pf[0]!.body.tickets.length === 4,
      "per-finding requests disagree on their 4 tickets",
    );
    expectThat(answers[0]!.headers.get("x-request-id") === requestId, "the app did not echo X-Request-Id");
    log(
      `20 concurrent ticket requests on both apps: ${statuses.filter((s) => s === 201).length}×201, ${statuses.filter((s) => s === 200).length}×200, 8 tickets`,
    );

    // 2. A rule for the rest of the slice (dry run first), then Run now pressed 3 times on each app at once.
    const rule = await createRule(cluster, a, conn.id, ctx.keys, "per_resource_group");
    await enableRule(cluster, b, rule.id);
    const runRequests = await Promise.all([a, b, a, b, a, b].map((app) => runNow(cluster, app, conn.id)));
    const runIds = new Set(runRequests.map((r) => r.runId));
    await waitSettled(cluster, conn.id, 120_000);
    log(`Run now ×6 on both apps → ${runIds.size} run(s); ${rule.planned.length} rule ticket(s) planned`);

    // 3. ServiceNow users change 3 tickets: the instance notifies app A; app B gets a signed notification
    //    of each, then the very same request again on app A (a replay: refused on every instance, since the
    //    seen signatures live in PostgreSQL), and one forged one.
    const { rows: changed } = await cluster.sql.query<{ sysId: string; number: string; correlationId: string }>(
      `SELECT "sysId", "number", "correlationId" FROM "Ticket" WHERE "connectionId" = $1::uuid ORDER BY "number" LIMIT 3`,
      [conn.id],
    );
    const webhookRuns = new Set<string>();
    for (const t of changed) {
      await control("servicenow", "PATCH", `/_emulator/records/incident/${t.sysId}`, {
        fields: { state: "2", work_notes: "Picked up (drill)" },
      });
      const body = JSON.stringify({ table: "incident", sys_id: t.sysId, number: t.number, correlation_id: t.correlationId });
      const ts = String(Math.floor(Date.now() / 1000));
      const signed = {
        rawBody: body,
        headers: {
          authorization: "",
          "x-posturedesk-timestamp": ts,
          "x-posturedesk-signature": signWebhookBody(conn.webhookSecret, ts, body),
        },
      };
      const res = await api<{ status: string; runId: string | null }>(
        b,
        cluster.token,
        "POST",
        `/api/webhooks/servicenow/${conn.id}`,
        signed,
      );
      expectThat(
        res.status === 202 && res.body.status === "queued",
        `signed webhook on app B answered ${res.status} ${JSON.stringify(res.body)}`,
      );
      webhookRuns.add(res.body.runId!);
      const replay = await api(a, cluster.token, "POST", `/api/webhooks/servicenow/${conn.id}`, signed);
      expectThat(replay.status === 401, `the same signed webhook replayed on app A answered ${replay.status} (want 401)`);
    }
    const forgedTs = String(Math.floor(Date.now() / 1000));
    const forged = await api(b, cluster.token, "POST", `/api/webhooks/servicenow/${conn.id}`, {
      rawBody: JSON.stringify({ table: "incident", sys_id: changed[0]!.sysId }),
      headers: {
        authorization: "",
        "x-posturedesk-timestamp": forgedTs,
        "x-posturedesk-signature": signWebhookBody("not-the-secret", forgedTs, "{}"),
      },
    });
    expectThat(forged.status === 401, `a forged webhook answered ${forged.status} (want 401)`);
    await waitSettled(cluster, conn.id, 60_000);
    const deliveries = await control<{ value: Array<{ status: number | null; sys_id: string }> }>(
      "servicenow",
      "GET",
      "/_emulator/webhook/deliveries",
    );
    expectThat(
      deliveries.value.length >= 3 && deliveries.value.every((d) => d.status === 202 || d.status === 200),
      `ServiceNow's notifications to app A: ${JSON.stringify(deliveries.value.map((d) => d.status))}`,
    );
    const { rows: states } = await cluster.sql.query<{ rawState: string }>(
      `SELECT "rawState" FROM "Ticket" WHERE "connectionId" = $1::uuid AND "sysId" = ANY($2::text[])`,
      [conn.id, changed.map((t) => t.sysId)],
    );
    expectThat(
      states.length === 3 && states.every((s) => s.rawState === "2"),
      `changed tickets show states ${states.map((s) => s.rawState).join(",")} (want 2)`,
    );
    await control("servicenow", "DELETE", "/_emulator/webhook");

    // 4. The checks.
    const outcome = await checkRuleOutcome(cluster, control, conn, rule);
    const runs = await checkRuns(cluster.sql, { connectionId: conn.id });
    expectEmpty(runs.problems, "runs");
    const jobs = await checkJobs(cluster.sql, runs.runs, { connectionId: conn.id });
    const allJobs = await checkJobs(cluster.sql, []);
    expectEmpty(allJobs.problems, "all jobs");
    expectEmpty(jobs.problems, "jobs");
    const finished = cluster.workers.flatMap((w) =>
      logLines(w)
        .filter((l) => l.msg === "sync run finished")
        .map((l) => ({ ...l, worker: w.name })),
    );
    expectEmpty(runsFinishedTwice(finished), "worker logs");
    const apiRuns = runs.runs.filter((r) => r.trigger === "api");
    expectThat(
      apiRuns.length === runIds.size && apiRuns.every((r) => runIds.has(r.id)),
      `Run now answered ${runIds.size} run(s); the connection has ${apiRuns.length} api run(s)`,
    );
    expectThat(
      runs.runs.every((r) => r.status === "succeeded"),
      `run statuses: ${runs.runs.map((r) => `${r.trigger}:${r.status}`).join(", ")}`,
    );
    const targeted = runs.runs.filter((r) => r.kind === "targeted_sync");
    expectThat(
      [...webhookRuns].every((id) => targeted.some((r) => r.id === id)),
      "a webhook's run is missing",
    );
    expectThat(concurrency.max() <= 1, `${concurrency.max()} runs of one connection were running at once`);
    const unticketed = await cluster.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Finding" f WHERE f."status" = 'Unhealthy' AND f."removedAt" IS NULL AND f."recommendationKey" = ANY($2::text[])
         AND NOT EXISTS (SELECT 1 FROM "TicketLink" l WHERE l."findingId" = f."id" AND l."activeConnectionId" = $1::uuid)`,
      [conn.id, ctx.keys],
    );
    expectThat(unticketed.rows[0]!.n === 0, `${unticketed.rows[0]!.n} unhealthy finding(s) of the slice without a ticket`);

    // 5. Observability: request id in app A's JSON log line; metrics of both apps.
    const line = logLines(a).find((l) => l.requestId === requestId && l.msg === "request");
    expectThat(
      line !== undefined && line.status !== undefined && line.path === "/api/tickets",
      `no JSON log line with requestId ${requestId} on ${a.name}`,
    );
    const metrics = await Promise.all([a, b].map((app) => api<string>(app, cluster.token, "GET", "/api/metrics")));
    const text = metrics.map((m) => String(m.body)).join("\n");
    for (const needle of [
      'posturedesk_http_requests_total{method="POST",route="/api/tickets",status="201"}',
      'posturedesk_external_requests_total{system="servicenow",status="201"}',
      'system="azure"',
      'system="entra"',
      "posturedesk_queue_depth",
    ]) {
      expectThat(text.includes(needle), `metrics of the apps lack ${needle}`);
    }
    const byWorker = Object.fromEntries(cluster.workers.map((w) => [w.name, finished.filter((l) => l.worker === w.name).length]));
    return {
      name: "scale-out",
      seconds: (performance.now() - started) / 1000,
      figures: {
        "ticket requests": `20 concurrent (10 per app) → 8 tickets, ${statuses.filter((s) => s === 201).length}×201 ${statuses.filter((s) => s === 200).length}×200`,
        "Run now": `6 (3 per app) → ${runIds.size} run(s)`,
        "rule tickets": `${outcome.ruleTickets} (= dry run)`,
        runs: `${runs.runs.length} (${runs.runs
          .map((r) => r.trigger)
          .sort()
          .join(", ")}), all succeeded, max 1 running`,
        "runs per worker": JSON.stringify(byWorker),
        "pg-boss jobs": `${jobs.jobs.length}, all completed, none fetched twice`,
        tickets: `${outcome.tickets} in PostureDesk = ${outcome.tickets} in ServiceNow, ${outcome.links} active links`,
        webhooks: `${deliveries.value.length} from ServiceNow to app A + 3 signed to app B → ${targeted.length} targeted run(s); their replays on app A and a forged one → 401`,
      },
    };
  } finally {
    concurrency.stop();
  }
}
