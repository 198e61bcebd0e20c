import { describe, expect, test } from "vitest";
import { createRng, stableHex, stableUuid } from "./rng";

describe("createRng", () => {
  test("returns the same stream for the same seed and different streams for different seeds", () => {
    const draw = (seed: number) => Array.from({ length: 5 }, createRng(seed).next);
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
  });

  test("int stays within bounds and forks are independent of the parent's position", () => {
    const rng = createRng("x");
    for (let i = 0; i < 1000; i++) {
      const n = rng.int(3, 5);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(5);
    }
    const a = createRng("y");
    a.next();
    expect(a.fork("f").next()).toBe(createRng("y").fork("f").next());
  });
});

describe("stableUuid / stableHex", () => {
  test("derive the same GUID and hex id from the same names, in GUID and sys_id formats", () => {
    expect(stableUuid("a", 1)).toBe(stableUuid("a", 1));
    expect(stableUuid("a", 1)).not.toBe(stableUuid("a", 2));
    expect(stableUuid("a")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(stableHex(32, "sys_user", "x")).toMatch(/^[0-9a-f]{32}$/);
  });
});
