import { describe, expect, test } from "vitest";
import { createRng } from "../common/rng";
import { hasCi } from "./cmdb";
import { buildWorld } from "../seed/world";
import { seedStore, TICKETS_BY_SIZE } from "./seed";
import { createStore } from "./store";

const ANCHOR = Date.UTC(2026, 0, 15);

function seeded(size: "small" | "large") {
  const world = buildWorld(42, size, ANCHOR);
  const store = createStore();
  seedStore(store, world, createRng(`servicenow/42`), ANCHOR);
  return { world, store };
}

describe("seedStore", () => {
  test("is deterministic for a seed, size and anchor", () => {
    const a = seeded("small").store.snapshot();
    const b = seeded("small").store.snapshot();
    expect(a).toEqual(b);
  });

  test("creates a CI per discovered Azure resource, users, groups and choices; the CC tables start empty", () => {
    const { world, store } = seeded("small");
    const discovered = world.resources.filter(hasCi);
    expect(store.count("cmdb_ci")).toBe(discovered.length);
    // Discovery covers most resources, not all; object_id is the resource id, in Azure's casing or another.
    expect(discovered.length).toBeGreaterThan(world.resources.length * 0.7);
    expect(discovered.length).toBeLessThan(world.resources.length);
    for (const r of discovered) {
      const ci = store.get("cmdb_ci", r.ciSysId)!;
      expect(ci.object_id.toLowerCase()).toBe(r.id.toLowerCase());
      expect(ci.sys_class_name).toMatch(/^cmdb_ci_/);
    }
    expect(discovered.some((r) => store.get("cmdb_ci", r.ciSysId)!.object_id !== r.id)).toBe(true);
    for (const r of world.resources.filter((x) => !hasCi(x))) expect(store.get("cmdb_ci", r.ciSysId)).toBeUndefined();
    for (const person of world.people) expect(store.get("sys_user", person.snSysId)?.email).toBe(person.email);
    expect(store.count("sys_user_group")).toBe(world.groups.length);
    expect(store.count("sys_user_grmember")).toBeGreaterThan(0);
    expect(
      [...store.rows("sys_choice")].some(
        (c) => c.name === "incident" && c.element === "state" && c.value === "6" && c.label === "Resolved",
      ),
    ).toBe(true);
    expect(store.count("sn_vulc_result")).toBe(0);
  });

  test("seeds 10,000 consistent tickets at size large", () => {
    const { store } = seeded("large");
    const tickets = [...store.rows("incident"), ...store.rows("problem"), ...store.rows("change_request")];
    expect(tickets).toHaveLength(TICKETS_BY_SIZE.large);
    expect(new Set(tickets.map((t) => t.number)).size).toBe(tickets.length);
    for (const t of tickets) {
      expect(t.sys_id).toMatch(/^[0-9a-f]{32}$/);
      expect(t.sys_updated_on! >= t.sys_created_on!).toBe(true);
      if (t.sys_class_name === "incident" && ["6", "7"].includes(t.state!)) expect(t.close_code && t.close_notes).toBeTruthy();
    }
  });
});
