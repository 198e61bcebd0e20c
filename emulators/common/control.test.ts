import path from "node:path";
import { describe, expect, test } from "vitest";
import { confinedPath } from "./control";

describe("confinedPath", () => {
  test("resolves snapshot paths inside the data directory and refuses any that escape it", () => {
    expect(confinedPath("/data", "snap/one.json")).toBe(path.resolve("/data/snap/one.json"));
    expect(() => confinedPath("/data", "../etc/passwd")).toThrow(/inside/);
    expect(() => confinedPath("/data", "/etc/passwd")).toThrow(/inside/);
    expect(() => confinedPath("/data", "/data-other/x.json")).toThrow(/inside/);
  });
});
