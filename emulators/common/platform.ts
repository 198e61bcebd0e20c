// The contract between the emulator platform (emulators/index.ts) and each emulator.
//
// An emulator is created from an `EmulatorContext` and returns an `EmulatorModule`:
//
//   export function createServiceNowEmulator(ctx: EmulatorContext): EmulatorModule & { credentials: … }
//
// - `ctx.world` and `ctx.rng` are getters: a reseed replaces them, so read them when you need them and
//   do not keep your own reference across requests. After a reseed or reset the platform calls `reset()`.
// - `handle(req, res)` receives every request to the emulator's port except the shared control routes
//   (`/_emulator/faults`, `/counters`, `/clock`, `/reset`, `/reseed`, `/snapshot`, `/restore`, `GET /_emulator`),
//   which the platform answers itself. Emulator-specific control routes (`/_emulator/<anything else>`)
//   reach `handle` like any other path. The platform has already applied the latency/status/drop faults and
//   records the request counters (use `createRouter` from ./http so the counters see route templates).
// - For paged listings call `await ctx.faults.interceptPage(name, req.raw, res, pageNumber, writeError)` and
//   return when it answers: that is how "fail page N of a listing" works.
// - `snapshot()` returns JSON-serializable state; `restore(s)` takes what `snapshot()` returned (after the
//   platform rebuilt the world with the snapshot's seed and size).
// - `writeError` renders errors in the emulator's wire shape; the platform uses it for injected faults.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { World } from "../seed/types";
import type { Clock } from "./clock";
import type { Counters } from "./counters";
import type { FaultEngine } from "./faults";
import type { ErrorWriter } from "./http";
import type { Rng } from "./rng";

export type EmulatorName = "entra" | "arm" | "servicenow";

export type EmulatorContext = {
  readonly world: World;
  readonly clock: Clock;
  readonly faults: FaultEngine;
  readonly counters: Counters;
  /** A seeded stream private to this emulator (restarted on reset/reseed). */
  readonly rng: Rng;
  /** Base URL of this emulator as the platform advertises it (e.g. https://localhost:8443). Prefer the
   *  request's own origin for links in responses, as real services do. */
  publicUrl: () => string;
};

export type EmulatorModule = {
  handle(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
  reset(): void;
  snapshot(): unknown;
  restore(snapshot: unknown): void;
  writeError?: ErrorWriter;
  /** Route template for counters when a fault answered before `handle` ran (e.g. `router.templateFor`). */
  routeOf?: (method: string, path: string) => string | undefined;
};

/** An `EmulatorContext` over the platform's parts; `world` and `rng` read through on every use (a reseed or reset replaces them). */
export function emulatorContext(parts: {
  world: () => World;
  rng: () => Rng;
  clock: Clock;
  faults: FaultEngine;
  counters: Counters;
  publicUrl: () => string;
}): EmulatorContext {
  return {
    get world() {
      return parts.world();
    },
    clock: parts.clock,
    faults: parts.faults,
    counters: parts.counters,
    get rng() {
      return parts.rng();
    },
    publicUrl: parts.publicUrl,
  };
}
