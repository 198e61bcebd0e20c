// The Configuration Compliance read path on both ServiceNow instance profiles
// (emulators/servicenow/profiles.ts). ServiceNow's Defender integration (emulated, pulling the ARM
// emulator) fills sn_vulc_*; a full sync reads and correlates it with the findings; a remediated finding
// passes on the integration's next run and an incremental sync shows its task closed. On the customized
// instance (data policy on incident, hourly REST rate-limit rule) the same holds, with no 429 or 403 and
// the rule's headers on the sync user's requests; on both the product writes nothing to sn_vulc_* and
// never calls the Import Set API.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { privateEmulators, type TestEmulators } from "@/emulators/common/testing";
import { SERVICENOW_TEST_PROFILES } from "@/emulators/servicenow/testing";
import { db } from "@/lib/db";
import { stopBoss } from "@/lib/jobs/boss";
import { type TPage } from "@/lib/schemas/common";
import { type TFindingDto } from "@/lib/schemas/findings";
import { defenderSide, syncNow, syncWorld, type SyncWorld } from "@/lib/sync/testing";
import { call, configureTestEnv, signedInUser } from "@/test/app";
import { type BoundTestDatabase, useTestDatabase } from "@/test/db";
import * as findingsRoute from "@/app/api/findings/route";

type Stored = Record<string, string>;
type CounterRow = { emulator: string; method: string; route: string; status: number; count: number };

describe.each(SERVICENOW_TEST_PROFILES)("Configuration Compliance on the %s instance", (profile) => {
  // Each profile has its own database: both emulator sets serve the same Entra directory.
  let database: BoundTestDatabase;
  let emu: TestEmulators;
  let world: SyncWorld;
  let manager: string;

  async function records(table: string, query = ""): Promise<{ rows: Stored[]; total: number }> {
    const r = await emu.control<{ result: Stored[]; total: number }>(
      "servicenow",
      "GET",
      `/_emulator/records/${table}?limit=10000&sysparm_query=${encodeURIComponent(query)}`,
    );
    expect(r.status).toBe(200);
    return { rows: r.body.result, total: r.body.total };
  }
  /** Requests served since the last reset: by route ("servicenow") or writes by table ("servicenow.table"). */
  async function served(emulator = "servicenow"): Promise<CounterRow[]> {
    return (await emu.control<{ value: CounterRow[] }>("servicenow", "GET", `/_emulator/counters?emulator=${emulator}`)).body.value;
  }

  beforeAll(async () => {
    database = await useTestDatabase();
    configureTestEnv(database.url);
    manager = (await signedInUser("MANAGER")).cookie;
    emu = await privateEmulators({ seed: 7, size: "small", servicenowProfile: profile });
    world = await syncWorld(emu.manifest, { ccEnabled: true });
  }, 120_000);

  afterAll(async () => {
    // Anything that woke the job queue bound it to this database.
    await stopBoss({ graceful: false, timeoutMs: 2000 });
    await emu?.stop();
    await database?.drop();
  });

  test("a full sync reads results, tasks and their join, matches each result to its finding; no write to sn_vulc or import sets", async () => {
    await emu.control("servicenow", "POST", "/_emulator/counters/reset");
    const run = await syncNow(world.connection.id, { mode: "full" });
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
    expect(page.items.length).toBe(world.unhealthy.length);
    for (const f of page.items) expect(f.cc, f.armId).toMatchObject({ result: "Failed", remediationTask: { state: "Open" } });

    const requests = await served();
    expect(requests.some((r) => r.method === "GET" && r.route === "/api/now/table/:table" && r.status === 200)).toBe(true);
    expect(requests.filter((r) => r.method !== "GET")).toEqual([]);
    expect((await served("servicenow.table")).filter((r) => r.route.includes("sn_vulc"))).toEqual([]);
    expect(requests.filter((r) => r.route.includes("/import"))).toEqual([]);
    expect(requests.filter((r) => r.status === 429 || r.status === 403)).toEqual([]);

    const { url, username, password } = emu.manifest.servicenow;
    const probe = await fetch(`${url}/api/now/table/sn_vulc_result?sysparm_limit=1`, {
      headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`, accept: "application/json" },
    });
    expect(probe.status).toBe(200);
    expect(probe.headers.get("x-ratelimit-limit")).toBe(profile === "customized" ? "20000" : null);
  });

  test("a remediated finding passes on the integration's next run and the incremental sync shows its task closed", async () => {
    const task = await db().ccRemediationTask.findFirstOrThrow({ where: { stateLabel: "Open" }, orderBy: { number: "asc" } });
    const inTask = (await records("sn_vulc_m2m_result_result_group", `group=${task.sysId}`)).rows.map((l) => l.result!);
    const fixed = await db().ccResult.findMany({ where: { sysId: { in: inTask } }, include: { finding: true } });
    expect(fixed.length).toBeGreaterThan(0);
    await emu.control("servicenow", "POST", "/_emulator/clock", { advanceSeconds: 3600 });
    await defenderSide(emu).setStatus(
      fixed.map((r) => r.finding!.armId),
      "Healthy",
    );
    const report = await emu.control<{ error: string | null; resultsUpdated: number; tasksClosed: number }>(
      "servicenow",
      "POST",
      "/_emulator/cc/integration/run",
    );
    expect(report.body.error).toBeNull();
    expect(report.body.resultsUpdated).toBe(fixed.length);

    await emu.control("servicenow", "POST", "/_emulator/counters/reset");
    const run = await syncNow(world.connection.id);
    expect(run.status, run.error ?? "").toBe("succeeded");
    expect((run.counts as { cc: { isFull: boolean } }).cc.isFull).toBe(false);
    expect(await db().ccResult.count({ where: { id: { in: fixed.map((r) => r.id) }, result: "Passed" } })).toBe(fixed.length);
    expect((await db().ccRemediationTask.findUniqueOrThrow({ where: { id: task.id } })).stateLabel).toBe("Closed");
    const requests = await served();
    expect((await served("servicenow.table")).filter((r) => r.route.includes("sn_vulc"))).toEqual([]);
    expect(requests.filter((r) => r.status === 429 || r.status === 403)).toEqual([]);
  });
});
