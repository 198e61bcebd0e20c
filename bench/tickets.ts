// Bulk ticket creation through POST /api/tickets against the ServiceNow emulator, with and without an
// injected 10 % rate of 429s (half with Retry-After: 1, half without), then the whole batch repeated.
//
//   npx tsx --conditions=react-server bench/tickets.ts [TICKETS=1000] [CONCURRENCY=8] [BASELINE=200]
//
// Prints throughput, ServiceNow requests per ticket, 429s absorbed, duplicates (must be 0) and the
// ratio against a no-fault baseline measured in the same run. Asserts nothing (docs/PERFORMANCE.md).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { ensureCertificates } from "@/emulators/common/tls";
import { apiCall, type BenchEnv, setUp } from "./tickets-setup";

const [TICKETS = 1000, CONCURRENCY = 8, BASELINE = 200] = process.argv.slice(2).map(Number);
const WARMUP = 40;

type PhaseResult = {
  tickets: number;
  ms: number;
  statuses: Record<number, number>;
  snRequests: number;
  sn429: number;
  armRequests: number;
};

async function counters(env: BenchEnv, emulator: "servicenow" | "arm"): Promise<{ total: number; throttled: number }> {
  const all = await env.control<{ total: number; value: Array<{ status: number; count: number }> }>(
    emulator,
    "GET",
    `/_emulator/counters?emulator=${emulator}`,
  );
  return { total: all.total, throttled: all.value.filter((r) => r.status === 429).reduce((n, r) => n + r.count, 0) };
}

async function phase(env: BenchEnv, findingIds: string[], concurrency: number): Promise<PhaseResult> {
  const { POST } = await import("@/app/api/tickets/route");
  const before = await counters(env, "servicenow");
  const armBefore = await counters(env, "arm");
  const statuses: Record<number, number> = {};
  const queue = [...findingIds];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let id = queue.shift(); id; id = queue.shift()) {
        const res = await apiCall(POST, env.token, "POST", "/api/tickets", {
          connectionId: env.connection.id,
          type: "incident",
          findingIds: [id],
        });
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (res.status >= 300) console.error(`  ${res.status}: ${JSON.stringify(res.json).slice(0, 200)}`);
      }
    }),
  );
  const ms = performance.now() - started;
  const after = await counters(env, "servicenow");
  const armAfter = await counters(env, "arm");
  return {
    tickets: findingIds.length,
    ms,
    statuses,
    snRequests: after.total - before.total,
    sn429: after.throttled - before.throttled,
    armRequests: armAfter.total - armBefore.total,
  };
}

async function duplicates(env: BenchEnv): Promise<{ records: number; distinct: number }> {
  const prefix = env.connection.correlationPrefix;
  const page = await env.control<{ result: Array<{ correlation_id: string }>; total: number }>(
    "servicenow",
    "GET",
    `/_emulator/records/incident?sysparm_query=${encodeURIComponent(`correlation_idSTARTSWITH${prefix}:`)}&limit=10000`,
  );
  return { records: page.total, distinct: new Set(page.result.map((r) => r.correlation_id)).size };
}

function report(label: string, r: PhaseResult): void {
  const perSecond = r.tickets / (r.ms / 1000);
  console.log(
    `${label.padEnd(28)} ${String(r.tickets).padStart(5)} tickets  ${(r.ms / 1000).toFixed(1).padStart(6)} s  ${perSecond.toFixed(1).padStart(6)} tickets/s  ` +
      `${(r.snRequests / r.tickets).toFixed(2)} SN req/ticket  ${r.sn429} × 429  ${(r.armRequests / r.tickets).toFixed(2)} ARM req/ticket  statuses ${JSON.stringify(r.statuses)}`,
  );
}

async function main(): Promise<void> {
  const env = await setUp({ size: "demo" });
  try {
    const all = env.world.unhealthy.map((f) => f.id);
    if (all.length < WARMUP + BASELINE + TICKETS) throw new Error(`only ${all.length} unhealthy findings; lower TICKETS or BASELINE`);
    console.log(`tickets bench: ${TICKETS} tickets (+${BASELINE} baseline), concurrency ${CONCURRENCY}, Node ${process.version}`);

    // Warm-up (JIT, connection pools, client cache, directory lookups): not measured.
    await phase(env, all.slice(0, WARMUP), CONCURRENCY);
    const ids = all.slice(WARMUP);
    const baseline = await phase(env, ids.slice(0, BASELINE), CONCURRENCY);
    report("baseline (no faults)", baseline);

    // 10 % of ServiceNow Table API calls answer 429: half say Retry-After: 1, half say nothing.
    for (const rule of [{ retryAfter: 1 }, {}]) {
      await env.control("servicenow", "POST", "/_emulator/faults", {
        path: "/api/now/table/**",
        kind: "status",
        status: 429,
        probability: 0.05,
        ...rule,
      });
    }
    const stormIds = ids.slice(BASELINE, BASELINE + TICKETS);
    const storm = await phase(env, stormIds, CONCURRENCY);
    report("10 % 429s", storm);
    const repeat = await phase(env, stormIds, CONCURRENCY);
    report(`same ${TICKETS} repeated (10 % 429)`, repeat);
    await env.control("servicenow", "DELETE", "/_emulator/faults");

    const { db } = await import("@/lib/db");
    const dup = await duplicates(env);
    const dbTickets = await db().ticket.count({ where: { connectionId: env.connection.id } });
    const governance = await db().governanceAssignment.groupBy({ by: ["azureState"], _count: true });
    const ratio = storm.tickets / storm.ms / (baseline.tickets / baseline.ms);
    console.log(
      `ServiceNow incidents with our prefix: ${dup.records}, distinct correlation ids: ${dup.distinct}, duplicates: ${dup.records - dup.distinct}`,
    );
    console.log(
      `tickets in PostureDesk: ${dbTickets} (expected ${WARMUP + BASELINE + TICKETS}); repeat created ${repeat.statuses[201] ?? 0} new`,
    );
    console.log(`governance assignments: ${governance.map((g) => `${g.azureState} ${g._count}`).join(", ")}`);
    console.log(`throughput with 10 % 429s vs baseline: ${ratio.toFixed(2)}×`);
  } finally {
    await env.tearDown();
  }
}

// Node trusts the emulators' local CA only if NODE_EXTRA_CA_CERTS is set when the process starts.
const bundle = ensureCertificates(path.resolve(".data/certs")).bundlePath;
if (process.env.NODE_EXTRA_CA_CERTS !== bundle) {
  const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, NODE_EXTRA_CA_CERTS: bundle },
  });
  process.exit(child.status ?? 1);
} else {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
