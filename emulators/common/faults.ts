// Fault injection shared by all emulators.
//
// A rule says which requests it hits and what happens to them:
//   { emulator?: "arm" | "entra" | "servicenow" | "*", method?: "GET", path: "/subscriptions/*/providers/**",
//     kind: "latency" | "status" | "drop" | "page", status?, retryAfter?, latencyMs?, page?, times?, probability? }
// - path: a glob on the decoded request path (`*` = within one segment, `**` = across segments,
//   case-insensitive), or a regular expression written `re:<pattern>` (case-insensitive).
// - latency: waits `latencyMs` then serves normally. status: answers `status` (429 adds `Retry-After:
//   retryAfter` only when retryAfter is given). drop: destroys the socket without answering.
// - page: answers `status` (default 500) on page `page` (1-based) of a paged listing; only emulators that
//   page call `interceptPage`, so the fault strikes mid-iteration, after earlier pages were served.
// - skip: let the first N matching requests through untouched (e.g. fail the lookups that follow a create,
//   not the one before it).
// - times: apply N times, then the rule expires. probability: 0..1, drawn from a seeded stream.
// - phase (status and drop only): "before" (default) answers instead of the emulator, so nothing is applied;
//   "after" lets the emulator apply the request first and then replaces its answer with `status` (or drops
//   the connection) — a load balancer or proxy timing out after the instance committed an insert.
//
// The server wrapper (server.ts) calls `intercept` before dispatching; listing handlers call
// `interceptPage(emulator, req, res, page, writeError)` before serving a page and return if it answered.
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { type ErrorWriter, HttpError, requestUrl } from "./http";
import { createRng, type Rng } from "./rng";

export const ZFaultRuleInput = z
  .object({
    id: z.string().trim().min(1).max(100).optional(),
    emulator: z.string().trim().min(1).max(40).optional(),
    method: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]+$/)
      .optional(),
    path: z.string().trim().min(1).max(2000),
    kind: z.enum(["latency", "status", "drop", "page"]),
    status: z.number().int().min(400).max(599).optional(),
    retryAfter: z.number().int().min(0).max(3600).optional(),
    latencyMs: z.number().int().min(0).max(120_000).optional(),
    page: z.number().int().min(1).optional(),
    times: z.number().int().min(1).optional(),
    skip: z.number().int().min(1).optional(),
    probability: z.number().min(0).max(1).optional(),
    phase: z.enum(["before", "after"]).optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (rule.kind === "latency" && rule.latencyMs === undefined)
      ctx.addIssue({ code: "custom", path: ["latencyMs"], message: "latencyMs is required for kind latency" });
    if (rule.kind === "status" && rule.status === undefined)
      ctx.addIssue({ code: "custom", path: ["status"], message: "status is required for kind status" });
    if (rule.phase === "after" && rule.kind !== "status" && rule.kind !== "drop")
      ctx.addIssue({ code: "custom", path: ["phase"], message: "phase after applies to kinds status and drop" });
    if (rule.kind === "page" && rule.page === undefined)
      ctx.addIssue({ code: "custom", path: ["page"], message: "page is required for kind page" });
    if (rule.path.startsWith("re:")) {
      try {
        new RegExp(rule.path.slice(3));
      } catch {
        ctx.addIssue({ code: "custom", path: ["path"], message: "not a valid regular expression" });
      }
    }
  });

export type FaultRule = Omit<z.output<typeof ZFaultRuleInput>, "id" | "emulator"> & {
  id: string;
  emulator: string;
  /** How many times the rule has struck. */
  hits: number;
  /** How many matching requests it has let through (skip). */
  skipped: number;
};

export type FaultEngine = {
  /** Adds a rule; `emulator` defaults to `defaultEmulator` ("*" = every emulator). Throws ZodError on bad input. */
  add(input: unknown, defaultEmulator?: string): FaultRule;
  list(): FaultRule[];
  remove(id: string): boolean;
  clear(): void;
  /** Restarts the probability stream (reset/reseed keep runs reproducible). */
  reseed(seed: number): void;
  /** Applies latency/status/drop rules. Returns true when the request was answered (or dropped). */
  intercept(emulator: string, req: IncomingMessage, res: ServerResponse, writeError: ErrorWriter): Promise<boolean>;
  /** Applies `page` rules for page N of a listing. Returns true when the request was answered. */
  interceptPage(emulator: string, req: IncomingMessage, res: ServerResponse, page: number, writeError: ErrorWriter): Promise<boolean>;
};

type CompiledRule = FaultRule & { matcher: RegExp };

function requestPath(req: IncomingMessage): string {
  const pathname = requestUrl(req).pathname;
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

function globToRegExp(glob: string): RegExp {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        out += ".*";
        i++;
      } else out += "[^/]*";
    } else if (c === "?") out += "[^/]";
    else out += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${out}/?$`, "i");
}

/**
 * Lets the emulator handle the request but keeps its answer from the client: everything the handler
 * writes is discarded, and when it ends the client gets `replace()` instead (an error or a dropped socket).
 */
function replaceAnswer(res: ServerResponse, replace: () => void): void {
  const original = { writeHead: res.writeHead, setHeader: res.setHeader, write: res.write, end: res.end };
  const restore = () => Object.assign(res, original);
  res.writeHead = function () {
    return res;
  } as typeof res.writeHead;
  res.setHeader = function () {
    return res;
  } as typeof res.setHeader;
  res.write = function () {
    return true;
  } as typeof res.write;
  res.end = function () {
    restore();
    replace();
    return res;
  } as typeof res.end;
}

const STATUS_CODES: Record<number, string> = {
  429: "TooManyRequests",
  500: "InternalServerError",
  502: "BadGateway",
  503: "ServiceUnavailable",
  504: "GatewayTimeout",
};

export function createFaultEngine(seed = 0): FaultEngine {
  let rules: CompiledRule[] = [];
  let rng: Rng = createRng(`faults/${seed}`);
  let nextId = 1;

  const take = (rule: CompiledRule): boolean => {
    if (rule.skip !== undefined && rule.skipped < rule.skip) {
      rule.skipped++;
      return false;
    }
    if (rule.probability !== undefined && rng.next() >= rule.probability) return false;
    rule.hits++;
    if (rule.times !== undefined && rule.hits >= rule.times) rules = rules.filter((r) => r !== rule);
    return true;
  };

  const applies = (rule: CompiledRule, emulator: string, method: string, path: string) =>
    (rule.emulator === "*" || rule.emulator === emulator) && (!rule.method || rule.method === method) && rule.matcher.test(path);

  const answer = (rule: CompiledRule, res: ServerResponse, writeError: ErrorWriter, status: number) => {
    const headers: Record<string, string> = {};
    if (rule.retryAfter !== undefined) headers["retry-after"] = String(rule.retryAfter);
    writeError(res, new HttpError(status, STATUS_CODES[status] ?? "InjectedFault", `Injected fault '${rule.id}' (${rule.kind}).`, headers));
  };

  const describe = (rule: CompiledRule): FaultRule => {
    const { matcher: _matcher, ...rest } = rule;
    return { ...rest };
  };

  return {
    add(input, defaultEmulator = "*") {
      const parsed = ZFaultRuleInput.parse(input);
      const id = parsed.id ?? `fault-${nextId++}`;
      const matcher = parsed.path.startsWith("re:") ? new RegExp(parsed.path.slice(3), "i") : globToRegExp(parsed.path);
      const rule: CompiledRule = { ...parsed, id, emulator: parsed.emulator ?? defaultEmulator, hits: 0, skipped: 0, matcher };
      rules = [...rules.filter((r) => r.id !== id), rule];
      return describe(rule);
    },
    list: () => rules.map(describe),
    remove(id) {
      const before = rules.length;
      rules = rules.filter((r) => r.id !== id);
      return rules.length !== before;
    },
    clear() {
      rules = [];
    },
    reseed(newSeed) {
      rng = createRng(`faults/${newSeed}`);
    },
    async intercept(emulator, req, res, writeError) {
      if (rules.length === 0) return false;
      const method = (req.method ?? "GET").toUpperCase();
      const path = requestPath(req);
      for (const rule of [...rules]) {
        if (rule.kind === "page" || !applies(rule, emulator, method, path) || !take(rule)) continue;
        if (rule.kind === "latency") {
          await new Promise((resolve) => setTimeout(resolve, rule.latencyMs));
          continue;
        }
        if (rule.phase === "after") {
          replaceAnswer(res, () => (rule.kind === "drop" ? req.socket.destroy() : answer(rule, res, writeError, rule.status!)));
          return false;
        }
        if (rule.kind === "drop") {
          req.socket.destroy();
          return true;
        }
        answer(rule, res, writeError, rule.status!);
        return true;
      }
      return false;
    },
    async interceptPage(emulator, req, res, page, writeError) {
      if (rules.length === 0) return false;
      const method = (req.method ?? "GET").toUpperCase();
      const path = requestPath(req);
      for (const rule of [...rules]) {
        if (rule.kind !== "page" || rule.page !== page || !applies(rule, emulator, method, path) || !take(rule)) continue;
        answer(rule, res, writeError, rule.status ?? 500);
        return true;
      }
      return false;
    },
  };
}
