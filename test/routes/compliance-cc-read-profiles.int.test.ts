// The Configuration Compliance read path on both ServiceNow instance profiles
// (emulators/servicenow/profiles.ts). ServiceNow's Defender integration (emulated, pulling the ARM
// emulator) fills sn_vulc_*; a full sync reads and correlates it with the findings; a remediated finding
// passes on the integration's next run and an incremental sync shows its task closed. On the customized
// instance (data policy on incident, hourly REST rate-limit rule) the same holds, with no 429 or 403 and
// the rule's headers on the sync user's requests; on both the product writes nothing to sn_vulc_* and
// never calls the Import Set API.
import { beforeAll, describe, expect, test } from "vitest";
import { SERVICENOW_TEST_PROFILES } from "@/emulators/servicenow/testing";
import { db } from "@/lib/db";
import { type TPage } from "@/lib/schemas/common";
import { type TFindingDto } from "@/lib/schemas/findings";
import { syncNow } from "@/lib/sync/testing";
import { call, signedInUser } from "@/test/app";
import { syncWorldSuite } from "@/test/integration";
import * as findingsRoute from "@/app/api/findings/route";

type CounterRow = { emulator: string; method: string; route: string; status: number; count: number };

describe.each(SERVICENOW_TEST_PROFILES)("Configuration Compliance on the %s instance", (profile) => {
  // Each profile has its own database: both emulator sets serve the same Entra directory.
  const suite = syncWorldSuite({
    emulators: { seed: 7, size: "small", servicenowProfile: profile },
    connection: { ccEnabled: true },
    timeoutMs: 120_000,
  });
  let manager: string;

  const records = (table: string, query = "") => suite.sn.list(table, query);
  /** Requests served since the last reset: by route ("servicenow") or writes by table ("servicenow.table"). */
  async function served(emulator = "servicenow"): Promise<CounterRow[]> {
    return (await suite.emu.control<{ value: CounterRow[] }>("servicenow", "GET", `/_emulator/counters?emulator=${emulator}`)).body.value;
  }

  beforeAll(async () => {
    manager = (await signedInUser("MANAGER")).cookie;
  });

  test("a full sync reads results, tasks and their join, matches each result to its finding; no write to sn_vulc or import sets", async () => {
    await suite.emu.control("servicenow", "POST", "/_emulator/counters/reset");
    const run = await syncNow(suite.world.connection.id, { mode: "full" });
    expect(run.status, run.error ?? "").toBe("succeeded");
    const cc = (run.counts as { cc: { results: number; tasks: number; links: number } }).cc;
    const results = await records("sn_vulc_result");
    expect(results.total).toBeGreaterThan(0);
    expect(cc.results).toBe(results.total);
    expect(await db().ccResult.count()).toBe(results.total);
    expect(await db().ccRemediationTask.count()).toBe((await records("sn_vulc_result_group")).total);
    expect(await db().ccResultTask.count()).toBe((await records("sn_vulc_m2m_result_result_group")).total);
    expect(await db().ccResult.count({ where: { findingId: null } })).toBe(0);

    const res = await call(findingsRoute.GET, "GET", "/api/findings", { query: { pageSize: "500", status: "Unhealthy" }, cookie: manager });
    expect(res.status).toBe(200);
    const page = (await res.json()) as TPage<TFindingDto>;
    expect(page.items.length).toBe(suite.world.unhealthy.length);
    for (const f of page.items) expect(f.cc, f.armId).toMatchObject({ result: "Failed", remediationTask: { state: "Open" } });

    const requests = await served();
    expect(requests.some((r) => r.method === "GET" && r.route === "/api/now/table/:table" && r.status === 200)).toBe(true);
    expect(requests.filter((r) => r.method !== "GET")).toEqual([]);
    expect((await served("servicenow.table")).filter((r) => r.route.includes("sn_vulc"))).toEqual([]);
    expect(requests.filter((r) => r.route.includes("/import"))).toEqual([]);
    expect(requests.filter((r) => r.status === 429 || r.status === 403)).toEqual([]);

    const probe = await suite.sn.probeRateLimit("sn_vulc_result");
    expect(probe.status).toBe(200);
    expect(probe.limit).toBe(profile === "customized" ? "20000" : null);
  });

  test("a remediated finding passes on the integration's next run and the incremental sync shows its task closed", async () => {
    const task = await db().ccRemediationTask.findFirstOrThrow({ where: { stateLabel: "Open" }, orderBy: { number: "asc" } });
    const inTask = (await records("sn_vulc_m2m_result_result_group", `group=${task.sysId}`)).rows.map((l) => l.result!);
    const fixed = await db().ccResult.findMany({ where: { sysId: { in: inTask } }, include: { finding: true } });
    expect(fixed.length).toBeGreaterThan(0);
    await suite.emu.control("servicenow", "POST", "/_emulator/clock", { advanceSeconds: 3600 });
    await suite.defender.setStatus(
      fixed.map((r) => r.finding!.armId),
      "Healthy",
    );
    const report = await suite.emu.control<{ error: string | null; resultsUpdated: number; tasksClosed: number }>(
      "servicenow",
      "POST",
      "/_emulator/cc/integration/run",
    );
    expect(report.body.error).toBeNull();
    expect(report.body.resultsUpdated).toBe(fixed.length);

    await suite.emu.control("servicenow", "POST", "/_emulator/counters/reset");
    const run = await syncNow(suite.world.connection.id);
    expect(run.status, run.error ?? "").toBe("succeeded");
    expect((run.counts as { cc: { isFull: boolean } }).cc.isFull).toBe(false);
    expect(await db().ccResult.count({ where: { id: { in: fixed.map((r) => r.id) }, result: "Passed" } })).toBe(fixed.length);
    expect((await db().ccRemediationTask.findUniqueOrThrow({ where: { id: task.id } })).stateLabel).toBe("Closed");
    const requests = await served();
    expect((await served("servicenow.table")).filter((r) => r.route.includes("sn_vulc"))).toEqual([]);
    expect(requests.filter((r) => r.status === 429 || r.status === 403)).toEqual([]);
  });
});
