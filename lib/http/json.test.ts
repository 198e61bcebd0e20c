import { expect, test } from "vitest";
import { jsonResponse, toJson } from "./json";

test("toJson writes BigInts as strings, wherever they are, and everything else as JSON.stringify does", () => {
  const plain = { a: 1, b: ["x", null, true], c: { d: "2026-12-07T00:00:00.000Z" } };
  expect(toJson(plain)).toBe(JSON.stringify(plain));
  expect(toJson({ items: [{ id: 12345678901234567890n, n: 1 }], last: { id: 7n } })).toBe(
    '{"items":[{"id":"12345678901234567890","n":1}],"last":{"id":"7"}}',
  );
  expect(toJson(5n)).toBe('"5"');
});

test("a value JSON cannot hold still fails (a cycle is not a BigInt)", () => {
  const cyclic: Record<string, unknown> = { id: 1n };
  cyclic.self = cyclic;
  expect(() => toJson(cyclic)).toThrow(TypeError);
});

test("jsonResponse: JSON, never cached, the status given", async () => {
  const res = jsonResponse({ id: 9n }, { status: 201 });
  expect(res.status).toBe(201);
  expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
  expect(res.headers.get("cache-control")).toBe("no-store");
  expect(await res.text()).toBe('{"id":"9"}');
});
