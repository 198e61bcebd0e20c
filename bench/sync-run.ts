// A connection's bidirectional sync, measured in-process (the job handler, no queue):
//   1. a full run that creates tickets through an auto-ticket rule (SIZE findings; grouping GROUPING);
//   2. an incremental run with nothing changed: requests made and time — the steady-state cost;
//   3. the same with one ticket changed in ServiceNow.
//
//   npx tsx --conditions=react-server bench/sync-run.ts [--size small|demo|large] [--extra N] [--grouping per_resource_group] [--no-rule]
//
// Prints times, phase timings and requests per system. Asserts nothing (docs/PERFORMANCE.md).
import { parseArgs } from "node:util";
import { ensureTrustedCa, setUpSync } from "./sync-setup";

const { values } = parseArgs({
  options: {
    size: { type: "string", default: "demo" },
    extra: { type: "string", default: "0" },
    grouping: { type: "string", default: "per_resource_group" },
    "no-rule": { type: "boolean", default: false },
  },
});

async function main(): Promise<void> {
  if (await ensureTrustedCa()) return;
  const setupStarted = performance.now();
  const env = await setUpSync({ size: values.size as "small" | "demo" | "large", extraAssessments: Number(values.extra) });
  const { db } = await import("@/lib/db");
  const { syncNow } = await import("@/lib/sync/testing");
  const { createRule } = await import("@/lib/rules/write");
  const { ZCreateRule } = await import("@/lib/schemas/rules");
  const { SYSTEM_ACTOR } = await import("@/lib/audit/audit");
  const connectionId = env.world.connection.id;
  const findings = await db().finding.count({ where: { azureTenantId: env.world.tenantId, removedAt: null } });
  console.log(
    `setup: ${values.size} seed + ${values.extra} assessments = ${findings} findings (${env.world.unhealthy.length} unhealthy), ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`,
  );
  if (!values["no-rule"]) {
    await createRule(
      SYSTEM_ACTOR,
      ZCreateRule.parse({
        name: "Bench: every unhealthy finding",
        connectionId,
        enabled: true,
        priority: 1,
        action: { table: "incident", grouping: values.grouping },
      }),
    );
  }

  const measure = async (label: string, mode: "incremental" | "full" = "incremental") => {
    const sn = await env.requests("servicenow");
    const arm = await env.requests("arm");
    const started = performance.now();
    const run = await syncNow(connectionId, { mode });
    const ms = performance.now() - started;
    const counts = run.counts as Record<string, unknown> & { timings?: Record<string, number> };
    const snDelta = (await env.requests("servicenow")) - sn;
    const armDelta = (await env.requests("arm")) - arm;
    const timings = Object.entries(counts.timings ?? {})
      .map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`)
      .join(", ");
    console.log(
      `${label}: ${run.status} in ${(ms / 1000).toFixed(2)} s — ServiceNow ${snDelta} requests, ARM ${armDelta} requests; created ${String(counts.created ?? 0)}, updated ${String(counts.updated ?? 0)}, resolved ${String(counts.resolved ?? 0)}, governance ${String(counts.governanceUpdated ?? 0)}; phases: ${timings}`,
    );
    return { ms, snDelta, armDelta };
  };

  const first = await measure(values["no-rule"] ? "run 1 (no rule: nothing to ticket)" : "run 1 (rule creates the tickets)");
  const tickets = await db().ticket.count({ where: { connectionId } });
  const links = await db().ticketLink.count({ where: { activeConnectionId: connectionId } });
  console.log(`  → ${tickets} tickets covering ${links} findings (${(links / (first.ms / 1000)).toFixed(0)} findings ticketed per second)`);
  const idle = await measure("run 2 (nothing changed)");
  const one = await db().ticket.findFirst({ where: { connectionId } });
  if (one) {
    await env.control("servicenow", "PATCH", `/_emulator/records/incident/${one.sysId}`, { fields: { state: "2" } });
    await measure("run 3 (one ticket changed in ServiceNow)");
  } else console.log("run 3 skipped: no ticket to change (--no-rule)");
  await measure("run 4 (full: every ticket re-read, full Defender pass)", "full");
  console.log(`nothing-changed run vs the rule run: ${(idle.ms / first.ms).toFixed(3)}× the time`);
  await env.tearDown();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
