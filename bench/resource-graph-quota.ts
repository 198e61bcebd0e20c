// Benchmark (prints figures, asserts nothing): the Resource Graph requests and quota a full ingestion's
// reads cost, and the regulatory compliance requests, before (compliance as ARM listings, one per standard
// and per control; Resource Graph unpaced) and after (compliance from `securityresources`, batches of
// SUBSCRIPTIONS_PER_REQUEST, paced by the user-quota headers). Starts its own emulators (no database):
//
//   NODE_EXTRA_CA_CERTS=.data/certs/ca-bundle.pem npx tsx --conditions=react-server bench/resource-graph-quota.ts [--size large]
//
// Counts come from the ARM emulator's request counters and its Resource Graph log (quota left per answer).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startEmulators } from "@/emulators/index";
import type { SeedSize } from "@/emulators/seed/types";
import { createAzureClient } from "@/lib/azure/client";
import { ASSESSMENTS_QUERY, createResourceGraphApi, type QuotaPacer } from "@/lib/azure/resource-graph";

/** The old client: no pacing (it sent requests until Resource Graph answered 429). */
const unpaced: QuotaPacer = {
  acquire: async () => undefined,
  observe: () => undefined,
  stats: () => ({ requests: 0, waits: 0, waitedMs: 0, lowestRemaining: null }),
};

type Counter = { route: string; method: string; count: number; status: number };

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { size: { type: "string" } } });
  const size = (values.size ?? "large") as SeedSize;
  const dataDir = mkdtempSync(path.join(tmpdir(), "posturedesk-bench-rg-"));
  const emulators = await startEmulators({ dataDir, certDir: path.resolve(".data/certs"), seed: 42, size, manifestPath: null });
  const m = emulators.manifest;
  const control = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${m.arm.url}${route}`, {
      method,
      headers: body ? { "content-type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  };
  const counters = async () => (await control<{ value: Counter[] }>("GET", "/_emulator/counters?emulator=arm")).value;
  const sum = (rows: Counter[], re: RegExp) => rows.filter((r) => re.test(r.route)).reduce((n, r) => n + r.count, 0);
  const client = () =>
    createAzureClient({ tenantId: m.tenantId, ...m.entra.armServicePrincipal, authorityHost: m.entra.url, armEndpoint: m.arm.url });
  const subs = m.arm.subscriptionIds;
  try {
    const warm = client();
    await warm.listSubscriptions();
    const findings = emulators.world().assessments.length;
    console.log(`world: ${size}, ${subs.length} subscriptions, ${findings} assessments`);

    // Before: assessments and governance through Resource Graph (1,000 per page), compliance as ARM listings.
    await control("POST", "/_emulator/counters/reset");
    await control("DELETE", "/_emulator/arm/resource-graph/log");
    let started = performance.now();
    const before = client();
    const beforeGraph = createResourceGraphApi(before.raw, unpaced);
    for await (const _ of beforeGraph.query(ASSESSMENTS_QUERY, { subscriptions: subs, top: 1000 })) void _;
    for await (const _ of beforeGraph.query(`securityresources | where type == "microsoft.security/assessments/governanceassignments"`, {
      subscriptions: subs,
      top: 1000,
    }))
      void _;
    for (const s of subs) {
      for await (const standards of before.complianceStandards(s)) {
        for (const standard of standards) {
          for await (const controls of before.complianceControls(s, standard.name)) {
            for (const c of controls) for await (const _ of before.complianceAssessments(s, standard.name, c.name)) void _;
          }
        }
      }
    }
    const beforeSeconds = (performance.now() - started) / 1000;
    const beforeCounters = await counters();
    const beforeLog = await control<{ value: Array<{ status: number; quotaRemaining: number }> }>(
      "GET",
      "/_emulator/arm/resource-graph/log",
    );

    // After: the same reads with compliance from Resource Graph.
    await control("POST", "/_emulator/counters/reset");
    await control("DELETE", "/_emulator/arm/resource-graph/log");
    started = performance.now();
    const after = client();
    for await (const _ of after.resourceGraph.query(ASSESSMENTS_QUERY, { subscriptions: subs, top: 1000 })) void _;
    for await (const _ of after.resourceGraph.query(
      `securityresources | where type == "microsoft.security/assessments/governanceassignments"`,
      { subscriptions: subs, top: 1000 },
    ))
      void _;
    for await (const _ of after.resourceGraph.regulatoryCompliance(subs)) void _;
    const afterSeconds = (performance.now() - started) / 1000;
    const afterCounters = await counters();
    const afterLog = await control<{ value: Array<{ status: number; quotaRemaining: number }> }>(
      "GET",
      "/_emulator/arm/resource-graph/log",
    );

    const per100k = (n: number) => ((n * 100_000) / findings).toFixed(1);
    const row = (
      label: string,
      c: Counter[],
      log: Array<{ status: number; quotaRemaining: number }>,
      seconds: number,
      pacing?: { waits: number; waitedMs: number },
    ) => {
      const graph = sum(c, /ResourceGraph/i);
      const compliance = sum(c, /regulatoryComplianceStandards/i);
      console.log(
        `${label}: Resource Graph ${graph} requests (${per100k(graph)} per 100k findings, ${log.filter((e) => e.status === 429).length} answered 429, lowest quota left ${Math.min(...log.map((e) => e.quotaRemaining))}), ` +
          `compliance ARM listings ${compliance} (${per100k(compliance)} per 100k findings)${pacing ? `, paced ${pacing.waits} times (${(pacing.waitedMs / 1000).toFixed(1)} s)` : ""}, ${seconds.toFixed(1)} s`,
      );
    };
    row("before", beforeCounters, beforeLog.value, beforeSeconds);
    row("after ", afterCounters, afterLog.value, afterSeconds, after.pacing().resourceGraph);
  } finally {
    await emulators.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
