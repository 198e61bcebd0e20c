import { describe, expect, test } from "vitest";
import { createClock } from "../common/clock";
import { createCounters } from "../common/counters";
import { createFaultEngine } from "../common/faults";
import { createRng } from "../common/rng";
import { buildWorld } from "../seed/world";
import { createServiceNowEmulator } from "./index";

function emulator() {
  const world = buildWorld(7, "small", Date.UTC(2026, 0, 1));
  return createServiceNowEmulator({
    world,
    clock: createClock(() => Date.UTC(2026, 0, 1, 12)),
    faults: createFaultEngine(7),
    counters: createCounters(),
    rng: createRng("servicenow/7"),
    publicUrl: () => "https://localhost:1",
  });
}

describe("snapshot / restore", () => {
  test("round-trips through JSON and brings back records reset had discarded", () => {
    const sn = emulator();
    const seeded = JSON.stringify(sn.snapshot());
    const state = JSON.parse(seeded) as { store: { tables: Record<string, Array<Record<string, string>>> } };
    state.store.tables.incident!.push({ ...state.store.tables.incident![0]!, sys_id: "0".repeat(32), number: "INC0099999" });
    sn.restore(JSON.parse(JSON.stringify(state)));
    const restored = sn.snapshot() as typeof state;
    expect(restored.store.tables.incident!.some((r) => r.number === "INC0099999")).toBe(true);
    sn.reset();
    expect(JSON.stringify(sn.snapshot())).toBe(seeded);
  });

  test("refuses something that is not its snapshot", () => {
    expect(() => emulator().restore({ kind: "arm" })).toThrow(/ServiceNow emulator snapshot/);
  });
});
