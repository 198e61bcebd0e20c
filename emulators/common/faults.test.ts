import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, test, vi } from "vitest";
import { createFaultEngine } from "./faults";
import type { HttpError } from "./http";

function request(method: string, url: string) {
  const destroy = vi.fn();
  return { req: { method, url, headers: { host: "localhost:1" }, socket: { destroy } } as unknown as IncomingMessage, destroy };
}
const res = {} as ServerResponse;

describe("createFaultEngine", () => {
  test("a status rule answers matching requests through the emulator's error writer, Retry-After only when given", async () => {
    const engine = createFaultEngine(1);
    engine.add({ path: "/subscriptions/*/providers/**", kind: "status", status: 429 }, "arm");
    engine.add({ path: "/other", kind: "status", status: 429, retryAfter: 7 }, "arm");
    const written: HttpError[] = [];
    const writer = (_: ServerResponse, e: HttpError) => void written.push(e);
    expect(
      await engine.intercept("arm", request("GET", "/subscriptions/abc/providers/Microsoft.Security/assessments").req, res, writer),
    ).toBe(true);
    expect(await engine.intercept("arm", request("GET", "/other").req, res, writer)).toBe(true);
    expect(written.map((e) => [e.status, e.headers["retry-after"]])).toEqual([
      [429, undefined],
      [429, "7"],
    ]);
  });

  test("rules apply only to their emulator, method and path (globs are case-insensitive, * stays in one segment)", async () => {
    const engine = createFaultEngine(1);
    engine.add({ path: "/api/now/table/*", method: "post", kind: "status", status: 503 }, "servicenow");
    const writer = vi.fn();
    expect(await engine.intercept("arm", request("POST", "/api/now/table/incident").req, res, writer)).toBe(false);
    expect(await engine.intercept("servicenow", request("GET", "/api/now/table/incident").req, res, writer)).toBe(false);
    expect(await engine.intercept("servicenow", request("POST", "/api/now/table/incident/abc").req, res, writer)).toBe(false);
    expect(await engine.intercept("servicenow", request("POST", "/API/NOW/TABLE/INCIDENT").req, res, writer)).toBe(true);
  });

  test("times: the rule expires after N hits; drop destroys the socket without answering", async () => {
    const engine = createFaultEngine(1);
    engine.add({ id: "once", path: "/x", kind: "drop", times: 1 }, "*");
    const first = request("GET", "/x");
    expect(await engine.intercept("arm", first.req, res, vi.fn())).toBe(true);
    expect(first.destroy).toHaveBeenCalled();
    expect(await engine.intercept("arm", request("GET", "/x").req, res, vi.fn())).toBe(false);
    expect(engine.list()).toEqual([]);
  });

  test("page rules strike only through interceptPage, on their page", async () => {
    const engine = createFaultEngine(1);
    engine.add({ path: "re:/assessments$", kind: "page", page: 2 }, "arm");
    const writer = vi.fn();
    const { req } = request("GET", "/subscriptions/s/providers/Microsoft.Security/assessments");
    expect(await engine.intercept("arm", req, res, writer)).toBe(false);
    expect(await engine.interceptPage("arm", req, res, 1, writer)).toBe(false);
    expect(await engine.interceptPage("arm", req, res, 2, writer)).toBe(true);
    expect(writer.mock.calls[0]![1]).toMatchObject({ status: 500 });
  });

  test("probability draws from a seeded stream: the same seed strikes the same requests", async () => {
    const hits = async (seed: number) => {
      const engine = createFaultEngine(seed);
      engine.add({ path: "/p", kind: "status", status: 500, probability: 0.5 }, "arm");
      const out: boolean[] = [];
      for (let i = 0; i < 40; i++) out.push(await engine.intercept("arm", request("GET", "/p").req, res, vi.fn()));
      return out;
    };
    const a = await hits(7);
    expect(await hits(7)).toEqual(a);
    expect(a.filter(Boolean).length).toBeGreaterThan(5);
    expect(a.filter(Boolean).length).toBeLessThan(35);
  });

  test("invalid rules are refused with the field named", () => {
    const engine = createFaultEngine(1);
    expect(() => engine.add({ path: "/x", kind: "status" })).toThrow(/status/);
    expect(() => engine.add({ path: "/x", kind: "page" })).toThrow(/page/);
    expect(() => engine.add({ path: "re:([", kind: "drop" })).toThrow(/regular expression/);
    expect(() => engine.add({ path: "/x", kind: "latency", latencyMs: 5, extra: 1 })).toThrow();
  });

  test("phase after: the emulator handles the request, then its answer is replaced by the rule's status or a dropped socket", async () => {
    const engine = createFaultEngine(1);
    engine.add({ path: "/api/now/table/incident", method: "POST", kind: "status", status: 504, phase: "after", times: 1 }, "servicenow");
    engine.add({ path: "/drop", kind: "drop", phase: "after", times: 1 }, "servicenow");
    const sent: string[] = [];
    const fakeRes = () =>
      ({
        writeHead: () => void sent.push("head"),
        setHeader: () => void sent.push("header"),
        write: () => void sent.push("body"),
        end: () => void sent.push("end"),
      }) as unknown as ServerResponse;
    const written: HttpError[] = [];
    const out = fakeRes();
    expect(await engine.intercept("servicenow", request("POST", "/api/now/table/incident").req, out, (_r, e) => void written.push(e))).toBe(
      false,
    );
    // The emulator's handler runs and writes its 201: nothing of it reaches the client; the 504 does.
    out.writeHead(201);
    out.write("{}");
    expect(written).toEqual([]);
    out.end();
    expect(written.map((e) => e.status)).toEqual([504]);
    expect(sent).toEqual([]);

    const dropped = request("GET", "/drop");
    const dropRes = fakeRes();
    expect(await engine.intercept("servicenow", dropped.req, dropRes, vi.fn())).toBe(false);
    expect(dropped.destroy).not.toHaveBeenCalled();
    dropRes.end();
    expect(dropped.destroy).toHaveBeenCalled();
    expect(() => engine.add({ path: "/x", kind: "latency", latencyMs: 1, phase: "after" })).toThrow(/phase/);
  });

  test("skip: the first N matching requests pass untouched, then the rule strikes", async () => {
    const engine = createFaultEngine(1);
    engine.add({ path: "/x", kind: "status", status: 503, skip: 2, times: 1 }, "arm");
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await engine.intercept("arm", request("GET", "/x").req, res, vi.fn()));
    expect(results).toEqual([false, false, true, false]);
  });
});
