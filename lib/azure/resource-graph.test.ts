import { describe, expect, test } from "vitest";
import { kqlString, readTagRows } from "./resource-graph";

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
