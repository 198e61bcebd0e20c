// Control routes every emulator port answers (never mixed with the real protocol paths):
//
//   GET    /_emulator                  which emulator, seed, size, emulated time, endpoints
//   GET    /_emulator/ui               a small control page (emulators/control-page/)
//   GET    /_emulator/faults           active fault rules          POST: add one rule or an array (201)
//   DELETE /_emulator/faults           remove all rules            DELETE /_emulator/faults/{id}: one rule
//   GET    /_emulator/counters         ?emulator=&method=&route=   POST /_emulator/counters/reset
//   GET    /_emulator/clock            POST {"advanceSeconds": N}
//   POST   /_emulator/reset            back to the seeded state; body {state,faults,counters,clock}: false keeps one
//   POST   /_emulator/reseed           {"seed": N, "size": "small"|"demo"|"large"}
//   POST   /_emulator/snapshot         {"path"?}: writes JSON under the data dir, or returns it when no path
//   POST   /_emulator/restore          {"path"} or {"snapshot": {...}}
//
// A fault rule posted without `emulator` applies to the emulator whose port received it ("*" = all).
// Errors: 400 `{ "error": { "code", "message", "details"? } }` for bad input.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import path from "node:path";
import { z, ZodError } from "zod";
import type { SeedSize } from "../seed/types";
import type { Clock } from "./clock";
import type { Counters } from "./counters";
import type { FaultEngine } from "./faults";
import { sendControlPage } from "../control-page/page";
import { createRouter, type EmulatorRequest, HttpError, type Router, sendEmpty, sendJson } from "./http";

export type ResetParts = { state: boolean; faults: boolean; counters: boolean; clock: boolean };

export type ControlTarget = {
  faults: FaultEngine;
  counters: Counters;
  clock: Clock;
  info(): unknown;
  reset(parts: ResetParts): void;
  reseed(seed: number, size: SeedSize): void;
  snapshot(): unknown;
  restore(snapshot: unknown): void;
  /** Snapshot files given by path are confined to this directory. */
  snapshotDir: string;
};

const ZReset = z
  .object({
    state: z.boolean().default(true),
    faults: z.boolean().default(true),
    counters: z.boolean().default(true),
    clock: z.boolean().default(true),
  })
  .strict();
const ZReseed = z
  .object({
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1),
    size: z.enum(["small", "demo", "large", "estate"]),
  })
  .strict();
const ZClock = z
  .object({
    advanceSeconds: z
      .number()
      .min(0)
      .max(10 * 365 * 24 * 3600),
  })
  .strict();
const ZSnapshot = z.object({ path: z.string().trim().min(1).optional() }).strict();
const ZRestore = z.union([
  z.object({ path: z.string().trim().min(1) }).strict(),
  z.object({ snapshot: z.record(z.string(), z.unknown()) }).strict(),
]);

export function writeControlError(res: ServerResponse, error: HttpError): void {
  sendJson(
    res,
    error.status,
    { error: { code: error.code, message: error.message, ...(error.detail ? { details: error.detail } : {}) } },
    error.headers,
  );
}

function invalid(error: ZodError): HttpError {
  const detail = error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ");
  return new HttpError(400, "InvalidControlRequest", "The control request body is not valid.", {}, detail);
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw invalid(result.error);
  return result.data;
}

/** Resolves a snapshot path inside `dir`; refuses anything that would escape it. */
export function confinedPath(dir: string, requested: string): string {
  const root = path.resolve(dir);
  const full = path.resolve(root, requested);
  if (full !== root && !full.startsWith(`${root}${path.sep}`)) {
    throw new HttpError(400, "InvalidSnapshotPath", `Snapshot paths must stay inside ${root}.`);
  }
  return full;
}

export function createControlRouter(target: ControlTarget, emulator: string): Router {
  const router = createRouter({ writeError: writeControlError, maxBodyBytes: 512 * 1024 * 1024 });
  const clockView = () => ({ now: target.clock.iso(), offsetMs: target.clock.offsetMs() });

  router.get("/_emulator", (_req, res) => sendJson(res, 200, { emulator, ...(target.info() as object) }));
  router.get("/_emulator/ui", (_req, res) => sendControlPage(res));

  router.get("/_emulator/faults", (_req, res) => sendJson(res, 200, { value: target.faults.list() }));
  router.post("/_emulator/faults", (req, res) => {
    const inputs = Array.isArray(req.body) ? req.body : [req.body];
    try {
      const added = inputs.map((input) => target.faults.add(input, emulator));
      sendJson(res, 201, { value: added });
    } catch (error) {
      throw error instanceof ZodError ? invalid(error) : error;
    }
  });
  router.delete("/_emulator/faults", (_req, res) => {
    target.faults.clear();
    sendEmpty(res, 204);
  });
  router.delete("/_emulator/faults/:id", (req, res) => {
    if (!target.faults.remove(req.params.id!)) throw new HttpError(404, "FaultNotFound", `No fault rule '${req.params.id}'.`);
    sendEmpty(res, 204);
  });

  router.get("/_emulator/counters", (req, res) => {
    const filter = {
      emulator: req.query.get("emulator") ?? undefined,
      method: req.query.get("method") ?? undefined,
      route: req.query.get("route") ?? undefined,
    };
    sendJson(res, 200, { value: target.counters.list(filter), total: target.counters.total(filter) });
  });
  router.post("/_emulator/counters/reset", (_req, res) => {
    target.counters.reset();
    sendEmpty(res, 204);
  });

  router.get("/_emulator/clock", (_req, res) => sendJson(res, 200, clockView()));
  router.post("/_emulator/clock", (req, res) => {
    const { advanceSeconds } = parse(ZClock, req.body);
    target.clock.advance(advanceSeconds * 1000);
    sendJson(res, 200, clockView());
  });

  router.post("/_emulator/reset", (req, res) => {
    target.reset(parse(ZReset, req.body));
    sendJson(res, 200, target.info());
  });
  router.post("/_emulator/reseed", (req, res) => {
    const { seed, size } = parse(ZReseed, req.body);
    target.reseed(seed, size);
    sendJson(res, 200, target.info());
  });

  router.post("/_emulator/snapshot", (req: EmulatorRequest, res) => {
    const { path: requested } = parse(ZSnapshot, req.body);
    const snapshot = target.snapshot();
    if (!requested) return sendJson(res, 200, snapshot);
    const file = confinedPath(target.snapshotDir, requested);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(snapshot));
    sendJson(res, 200, { path: file });
  });
  router.post("/_emulator/restore", (req, res) => {
    const body = parse(ZRestore, req.body);
    let snapshot: unknown;
    if ("path" in body) {
      const file = confinedPath(target.snapshotDir, body.path);
      try {
        snapshot = JSON.parse(readFileSync(file, "utf8"));
      } catch {
        throw new HttpError(400, "InvalidSnapshot", `Cannot read a JSON snapshot from ${file}.`);
      }
    } else snapshot = body.snapshot;
    target.restore(snapshot);
    sendJson(res, 200, target.info());
  });
  return router;
}
