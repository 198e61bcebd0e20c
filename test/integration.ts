// The set-up every integration test file repeats, once: its own database (test/db.ts), the app's
// configuration pointed at it and at the emulators (test/app.ts), the emulators (shared or a private
// set), and worlds built on them through the product's own services (lib/tickets/testing.ts,
// lib/sync/testing.ts). Each `…Suite` function registers the file's beforeAll/afterAll and returns an object whose
// fields are set once beforeAll has run:
//
//   const suite = integrationSuite({ emulators: { seed: 42, size: "small" } });
//   test("…", async () => { await suite.emu.control("arm", …); });
//
// Kept apart from the lib/**/testing.ts modules, which the benchmarks import outside vitest.
import { afterAll, beforeAll, expect } from "vitest";
import { type EmulatorManifest } from "@/emulators/manifest";
import { type EmulatorName, privateEmulators, type TestEmulators, useEmulators } from "@/emulators/common/testing";
import { stopBoss } from "@/lib/jobs/boss";
import { type TCreateConnectionInput, type TServiceNowConnectionDto } from "@/lib/schemas/connections";
import { defenderSide, serviceNowSide, syncNow, syncWorld, type SyncWorld } from "@/lib/sync/testing";
import { emulatorConnection, seedFindingsFromEmulator, type SeededWorld } from "@/lib/tickets/testing";
import { configureTestEnv } from "@/test/app";
import { type BoundTestDatabase, useTestDatabase } from "@/test/db";

export type IntegrationSuite = {
  database: BoundTestDatabase;
  /** Undefined with `emulators: "none"`. */
  emu: TestEmulators;
};

export type IntegrationOptions = {
  /** The shared emulators (the default), a private set for this file (destructive changes; "private": seed 42, small), or none. */
  emulators?: "shared" | "private" | "none" | Parameters<typeof privateEmulators>[0];
  /** Configuration overrides for lib/env.ts (a function of the emulators' manifest when they decide them). */
  env?: Record<string, string> | ((manifest: EmulatorManifest) => Record<string, string>);
  /** The code under test starts pg-boss: it is stopped before the database is dropped. */
  stopsBoss?: boolean;
  /** Timeout of the beforeAll hook (the project's hookTimeout otherwise). */
  timeoutMs?: number;
};

/**
 * Registers the file's beforeAll (database, configuration, emulators, then `setup` with them) and
 * afterAll (pg-boss stopped when asked, emulators stopped, database dropped). Whatever `setup` returns
 * is added to the returned suite.
 */
export function integrationSuite<T extends object = object>(
  options: IntegrationOptions = {},
  setup?: (suite: IntegrationSuite) => Promise<T>,
): IntegrationSuite & T {
  const suite = {} as IntegrationSuite & T;
  beforeAll(async () => {
    suite.database = await useTestDatabase();
    const emulators = options.emulators ?? "shared";
    if (emulators === "shared") suite.emu = await useEmulators();
    else if (emulators !== "none") suite.emu = await privateEmulators(emulators === "private" ? {} : emulators);
    const env = typeof options.env === "function" ? options.env(suite.emu.manifest) : options.env;
    configureTestEnv(suite.database.url, env);
    if (setup) Object.assign(suite, await setup(suite));
  }, options.timeoutMs);
  afterAll(async () => {
    if (options.stopsBoss) await stopBoss({ graceful: false, timeoutMs: 2000 });
    await suite.emu?.stop();
    await suite.database?.drop();
  });
  return suite;
}

export type FindingsSuite = IntegrationSuite & {
  world: SeededWorld;
  /** The ServiceNow emulator's side of things (records, counters). */
  sn: ReturnType<typeof serviceNowSide>;
  /** A ServiceNow connection to the emulator (lib/tickets/testing.ts). */
  connection: TServiceNowConnectionDto;
  /** `n` unhealthy findings that no other test of the file was given. */
  take: (n: number) => SeededWorld["unhealthy"];
};

/** The Defender findings of the emulator's tenant, ingested, and a ServiceNow connection to the emulator. */
export function findingsWorldSuite(
  options: IntegrationOptions & { subscriptions?: number; connection?: Partial<TCreateConnectionInput> } = {},
): FindingsSuite {
  const suite = integrationSuite(options, async ({ emu }) => ({
    sn: serviceNowSide(emu),
    world: await seedFindingsFromEmulator(emu.manifest, { subscriptions: options.subscriptions }),
    connection: await emulatorConnection(emu.manifest, options.connection),
  })) as FindingsSuite;
  suite.take = picker(() => suite.world.unhealthy);
  return suite;
}

export type SyncSuite = IntegrationSuite & {
  world: SyncWorld;
  /** The ServiceNow emulator's side of things (records, counters). */
  sn: ReturnType<typeof serviceNowSide>;
  /** The ARM emulator's side of things (assessment status, governance assignments). */
  defender: ReturnType<typeof defenderSide>;
  take: (n: number) => SyncWorld["unhealthy"];
  /** Makes findings unhealthy again in Defender a second later (status dates have whole seconds) and syncs; the run must succeed. */
  regress: (armIds: string[]) => Promise<Awaited<ReturnType<typeof syncNow>>>;
};

/** A sync world (lib/sync/testing.ts) on private emulators (seed 42, small) unless told otherwise; pg-boss stopped after. */
export function syncWorldSuite(options: IntegrationOptions & { connection?: Partial<TCreateConnectionInput> } = {}): SyncSuite {
  const suite = integrationSuite({ emulators: { seed: 42, size: "small" }, stopsBoss: true, ...options }, async ({ emu }) => ({
    sn: serviceNowSide(emu),
    defender: defenderSide(emu),
    world: await syncWorld(emu.manifest, options.connection),
  })) as SyncSuite;
  suite.take = picker(() => suite.world.unhealthy);
  suite.regress = async (armIds) => {
    await new Promise((r) => setTimeout(r, 1100));
    await suite.defender.setStatus(armIds, "Unhealthy");
    const run = await syncNow(suite.world.connection.id);
    expect(run.status, run.error ?? "").toBe("succeeded");
    return run;
  };
  return suite;
}

/** Hands out the items in order, `n` at a time, none twice; fails the test when too few are left. */
export function picker<T>(items: () => T[]): (n: number) => T[] {
  let next = 0;
  return (n) => {
    const picked = items().slice(next, next + n);
    next += n;
    expect(picked).toHaveLength(n);
    return picked;
  };
}

/** Adds a fault rule to an emulator (its control API); returns the rule's id. */
export async function addFault(emu: TestEmulators, emulator: EmulatorName, rule: Record<string, unknown>): Promise<string> {
  const added = await emu.control<{ value: Array<{ id: string }> }>(emulator, "POST", "/_emulator/faults", { emulator, ...rule });
  expect(added.status).toBe(201);
  return added.body.value[0]!.id;
}
