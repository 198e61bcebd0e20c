import { describe, expect, test } from "vitest";
import { createQuotaPacer, kqlString, parseQuotaHeaders, readTagRows, withIdProjected } from "./resource-graph";

const ID = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-web-prod/providers/Microsoft.Web/sites/app-web-prod-01";

describe("readTagRows", () => {
  test("returns readable rows (null or missing tags = no tags) and skips odd ones with a reason and a sample", () => {
    const page = readTagRows({
      totalRecords: 9,
      rows: [
        { id: ID, tags: { env: "prod", owner: "ada@contoso.example", empty: "" } },
        { id: ID.toUpperCase(), tags: null },
        { id: `${ID}-2` },
        { tags: { env: "prod" } },
        { id: 42, tags: {} },
        { id: "not-an-arm-id", tags: {} },
        { id: ID, tags: ["env", "prod"] },
        { id: ID, tags: { env: "prod", cost: 12 } },
      ],
      invalid: ["a string row"],
    });
    expect(page.rows).toEqual([
      { id: ID, tags: { env: "prod", owner: "ada@contoso.example", empty: "" } },
      { id: ID.toUpperCase(), tags: {} },
      { id: `${ID}-2`, tags: {} },
    ]);
    expect(page.totalRecords).toBe(9);
    expect(page.skipped.map((s) => [s.id, s.reason])).toEqual([
      [null, "the row is not an object"],
      [null, expect.stringMatching(/^id: /)],
      [null, expect.stringMatching(/^id: /)],
      ["not-an-arm-id", "id: not an ARM resource id"],
      [ID, expect.stringMatching(/^tags: /)],
      [ID, expect.stringMatching(/^tags\.cost: /)],
    ]);
    expect(page.skipped[0]!.sample).toBe('"a string row"');
  });

  test("a huge odd row is sampled, not copied whole", () => {
    const page = readTagRows({ totalRecords: 1, rows: [{ id: ID, tags: { big: 1, text: "x".repeat(5000) } }], invalid: [] });
    expect(page.skipped[0]!.sample.length).toBeLessThanOrEqual(501);
  });
});

describe("kqlString", () => {
  test("quotes a value so that quotes and backslashes cannot end the literal", () => {
    expect(kqlString(ID)).toBe(`'${ID}'`);
    expect(kqlString("it's")).toBe("'it\\'s'");
    expect(kqlString("a\\'); resources | project x")).toBe("'a\\\\\\'); resources | project x'");
  });
});

describe("withIdProjected", () => {
  test("adds id to a final project that lacks it, and leaves every other shape alone", () => {
    expect(withIdProjected("resources | project name, tags")).toBe("resources | project id, name, tags");
    expect(withIdProjected("resources | project id, tags")).toBe("resources | project id, tags");
    expect(withIdProjected("resources | project ID = tostring(id), tags")).toBe("resources | project ID = tostring(id), tags");
    expect(withIdProjected("resources | where name == 'a|project x' | project name")).toBe(
      "resources | where name == 'a|project x' | project id, name",
    );
    expect(withIdProjected("resources | where name == 'a | project x'")).toBe("resources | where name == 'a | project x'");
    expect(withIdProjected("securityresources | summarize count() by type")).toBe("securityresources | summarize count() by type");
    expect(withIdProjected("securityresources")).toBe("securityresources");
  });
});

describe("parseQuotaHeaders", () => {
  test("reads remaining and hh:mm:ss(.fff); anything else is no information", () => {
    expect(parseQuotaHeaders({ "x-ms-user-quota-remaining": "14", "x-ms-user-quota-resets-after": "00:00:05" })).toEqual({
      remaining: 14,
      resetsAfterMs: 5000,
    });
    expect(parseQuotaHeaders({ "x-ms-user-quota-remaining": "0", "x-ms-user-quota-resets-after": "01:02:03.5" })).toEqual({
      remaining: 0,
      resetsAfterMs: 3_723_500,
    });
    expect(parseQuotaHeaders({ "x-ms-user-quota-remaining": "3" })).toBeNull();
    expect(parseQuotaHeaders({ "x-ms-user-quota-remaining": "x", "x-ms-user-quota-resets-after": "00:00:05" })).toBeNull();
  });
});

/** A pacer on a fake clock: each sleep is recorded and moves the clock on by its length. */
function pacerOnFakeClock(marginMs: number) {
  const clock = { t: 0 };
  const slept: number[] = [];
  const pacer = createQuotaPacer({
    now: () => clock.t,
    sleep: async (ms) => {
      slept.push(ms);
      clock.t += ms;
    },
    marginMs,
  });
  return { clock, slept, pacer };
}

describe("createQuotaPacer", () => {
  test("waits for the reset only once the server said the quota is spent, and counts its own requests in between", async () => {
    const { clock, slept, pacer } = pacerOnFakeClock(50);
    await pacer.acquire(); // nothing known yet: go
    pacer.observe({ "x-ms-user-quota-remaining": "2", "x-ms-user-quota-resets-after": "00:00:05" });
    await pacer.acquire(); // 2 → 1
    await pacer.acquire(); // 1 → 0
    expect(slept).toEqual([]);
    clock.t += 1000;
    await pacer.acquire(); // 0: waits for the reset (4 s left) plus the margin
    expect(slept).toEqual([4050]);
    expect(pacer.stats()).toMatchObject({ requests: 4, waits: 1, waitedMs: 4050, lowestRemaining: 2 });
  });

  test("requests still in flight are taken off an answer's count: concurrent streams never both spend the last unit", async () => {
    const { slept, pacer } = pacerOnFakeClock(0);
    await pacer.acquire(); // A
    await pacer.acquire(); // B, sent before A's answer
    // A's answer counts A only (B had not arrived): 1 left by the server's count, 0 in truth.
    pacer.observe({ "x-ms-user-quota-remaining": "1", "x-ms-user-quota-resets-after": "00:00:02" });
    await pacer.acquire(); // C must wait for the reset
    expect(slept).toEqual([2000]);
    // A failed request without an answer frees its place too.
    pacer.observe({});
    pacer.observe({});
    expect(pacer.stats()).toMatchObject({ requests: 3, waits: 1 });
  });

  test("a reset that has passed forgets the old count", async () => {
    let t = 0;
    const pacer = createQuotaPacer({
      now: () => t,
      sleep: async () => {
        throw new Error("must not wait");
      },
    });
    pacer.observe({ "x-ms-user-quota-remaining": "0", "x-ms-user-quota-resets-after": "00:00:01" });
    t = 1500;
    await pacer.acquire();
    expect(pacer.stats().waits).toBe(0);
  });
});
