// Sync lag: how long a change made in ServiceNow takes to show in the dashboard (GET /api/tickets/{id}
// through its route handler), with the webhook (the emulator's business rule → our webhook route →
// targeted run on a real pg-boss worker) and with a 1-minute schedule (webhook off; the worker's
// scheduler starts the runs). Next to Microsoft's own integration, which syncs every 24 hours.
//
//   npx tsx --conditions=react-server bench/sync-lag.ts [--webhook 20] [--schedule 3] [--size small]
//
// Prints per-sample lags and their median / p95 / max. Asserts nothing (docs/PERFORMANCE.md).
import { benchApiToken } from "@/bench/bench-env";
import { parseArgs } from "node:util";
import { ensureTrustedCa, setUpSync } from "./sync-setup";

const { values } = parseArgs({
  options: {
    webhook: { type: "string", default: "20" },
    schedule: { type: "string", default: "3" },
    size: { type: "string", default: "small" },
  },
});
const SECRET = "bench-webhook-secret-0123456789abcdef";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function stats(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
  const fmt = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
  return `n=${s.length}, median ${fmt(q(50))}, p95 ${fmt(q(95))}, max ${fmt(s.at(-1)!)}, min ${fmt(s[0]!)}`;
}

async function main(): Promise<void> {
  if (await ensureTrustedCa()) return;
  const env = await setUpSync({ size: values.size as "small" | "demo" | "large", webhookSecret: SECRET });
  const { db } = await import("@/lib/db");
  const { startWorker, stopWorker } = await import("@/lib/jobs/worker");
  const { JOBS, PERIODIC } = await import("@/lib/jobs/registry");
  const { ticketFor, startWebhookReceiver } = await import("@/lib/sync/testing");
  const webhookRoute = await import("@/app/api/webhooks/servicenow/[connectionId]/route");
  const ticketRoute = await import("@/app/api/tickets/[id]/route");
  const { NextRequest } = await import("next/server");
  const token = await benchApiToken("MANAGER", "bench");
  const connectionId = env.world.connection.id;
  // The scheduler must not start runs before the schedule phase.
  await db().serviceNowConnection.update({ where: { id: connectionId }, data: { nextSyncAt: new Date(Date.now() + 86_400_000) } });
  await startWorker(JOBS, { concurrency: 2, periodic: PERIODIC });

  const samples = Number(values.webhook) + Number(values.schedule);
  const tickets: Array<Awaited<ReturnType<typeof ticketFor>>> = [];
  for (const f of env.world.unhealthy.slice(0, samples))
    tickets.push(await ticketFor({ connectionId, type: "incident", findingIds: [f.id] }));

  /** What the dashboard shows: the ticket's state label through GET /api/tickets/{id}. */
  const shown = async (id: string): Promise<string> => {
    const req = new NextRequest(new URL(`/api/tickets/${id}`, "http://localhost:3000"), { headers: { authorization: `Bearer ${token}` } });
    const res = await ticketRoute.GET(req, { params: Promise.resolve({ id }) });
    return ((await res.json()) as { stateLabel: string }).stateLabel;
  };
  const lagOf = async (ticket: (typeof tickets)[number], timeoutMs: number): Promise<number> => {
    const started = performance.now();
    await env.control("servicenow", "PATCH", `/_emulator/records/incident/${ticket.sysId}`, { fields: { state: "2" } });
    while (performance.now() - started < timeoutMs) {
      if ((await shown(ticket.id)) === "In Progress") return performance.now() - started;
      await sleep(20);
    }
    throw new Error(`${ticket.number}: not visible after ${timeoutMs} ms`);
  };

  // 1. Webhook.
  const receiver = await startWebhookReceiver(webhookRoute.POST);
  await env.control("servicenow", "PUT", "/_emulator/webhook", { url: receiver.url(connectionId), secret: SECRET, tables: ["incident"] });
  const webhook: number[] = [];
  for (const ticket of tickets.slice(0, Number(values.webhook))) {
    webhook.push(await lagOf(ticket, 30_000));
    await sleep(200);
  }
  console.log(`webhook: ${stats(webhook)}`);
  console.log(`  samples (ms): ${webhook.map((n) => Math.round(n)).join(", ")}`);

  // 2. A 1-minute schedule, webhook off: changes at random moments of the cycle.
  await env.control("servicenow", "DELETE", "/_emulator/webhook");
  await db().serviceNowConnection.update({
    where: { id: connectionId },
    data: { syncIntervalMinutes: 1, nextSyncAt: new Date(Date.now() + 60_000) },
  });
  const scheduled: number[] = [];
  for (const ticket of tickets.slice(Number(values.webhook))) {
    await sleep(Math.random() * 60_000);
    scheduled.push(await lagOf(ticket, 180_000));
    console.log(`  1-minute schedule sample: ${(scheduled.at(-1)! / 1000).toFixed(1)} s`);
  }
  if (scheduled.length) console.log(`1-minute schedule: ${stats(scheduled)}`);
  console.log(
    `Microsoft's 24-hour cycle: mean 12 h, worst 24 h → webhook median is ${((12 * 3600_000) / [...webhook].sort((a, b) => a - b)[Math.floor(webhook.length / 2)]!).toFixed(0)}× shorter than its mean`,
  );
  const runs = await db().syncRun.groupBy({ by: ["kind", "trigger", "status"], where: { connectionId }, _count: { _all: true } });
  console.log(`runs: ${runs.map((r) => `${r.kind}/${r.trigger}/${r.status} ×${r._count._all}`).join(", ")}`);

  await receiver.stop();
  await stopWorker();
  await env.tearDown();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
