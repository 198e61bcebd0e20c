import { describe, expect, test } from "vitest";
import { decodeCursor, encodeCursor, queryFingerprint } from "./cursor";

const ID = "0b0c8a55-3f1e-4a8e-9d53-6c1f7f0a1b2c";

describe("findings cursors", () => {
  test("round-trip: what is encoded is read back for the same query", () => {
    const q = queryFingerprint({ sort: "-severity", status: ["Unhealthy"], page: 3, pageSize: 50 });
    const cursor = { v: 1 as const, q, p: 4, k: ["High", "Unhealthy", "res-1", null, 3], id: ID };
    expect(decodeCursor(encodeCursor(cursor), q)).toEqual(cursor);
  });

  test("the fingerprint ignores paging and the order of multi-valued filters, not the filters or the sort", () => {
    const a = queryFingerprint({ sort: "resource", severity: ["High", "Low"], page: 1, pageSize: 25, cursor: "x" });
    expect(queryFingerprint({ sort: "resource", severity: ["Low", "High"], page: 9, pageSize: 100 })).toBe(a);
    expect(queryFingerprint({ sort: "resource", severity: ["Low", "High"], recommendationKey: [] })).toBe(a);
    expect(queryFingerprint({ sort: "-resource", severity: ["High", "Low"] })).not.toBe(a);
    expect(queryFingerprint({ sort: "resource", severity: ["High"] })).not.toBe(a);
  });

  test.each([
    ["characters outside base64url", "abc$def"],
    ["not JSON", Buffer.from("{nope").toString("base64url")],
    ["a wrong version", Buffer.from(JSON.stringify({ v: 2, q: "0123456789ab", p: 2, k: [], id: ID })).toString("base64url")],
    ["a page below 2", Buffer.from(JSON.stringify({ v: 1, q: "0123456789ab", p: 1, k: [], id: ID })).toString("base64url")],
    [
      "an id that is not a UUID",
      Buffer.from(JSON.stringify({ v: 1, q: "0123456789ab", p: 2, k: [], id: "1; DROP TABLE" })).toString("base64url"),
    ],
    ["a key value of another type", Buffer.from(JSON.stringify({ v: 1, q: "0123456789ab", p: 2, k: [{}], id: ID })).toString("base64url")],
  ])("%s → a 400 with a message", (_, text) => {
    expect(() => decodeCursor(text, "0123456789ab")).toThrow(
      expect.objectContaining({ status: 400, message: expect.stringMatching(/^Invalid cursor: /) }),
    );
  });

  test("a cursor of another query → a 400 that says so", () => {
    const text = encodeCursor({ v: 1, q: "0123456789ab", p: 2, k: [], id: ID });
    expect(() => decodeCursor(text, "ba9876543210")).toThrow(/other filters or another sort order/);
  });
});
