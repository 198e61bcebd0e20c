import { describe, expect, test } from "vitest";
import { tagsOf } from "./dto";

describe("tagsOf", () => {
  test("keeps string tags and drops what is not a tag (stored JSON is never trusted blindly)", () => {
    expect(tagsOf({ env: "prod", owner: "ada@contoso.example", empty: "" })).toEqual({
      env: "prod",
      owner: "ada@contoso.example",
      empty: "",
    });
    expect(tagsOf({ env: "prod", cost: 12, nested: { a: "b" }, none: null })).toEqual({ env: "prod" });
    for (const odd of [null, undefined, "env=prod", 42, ["env", "prod"]]) expect(tagsOf(odd)).toEqual({});
  });
});
