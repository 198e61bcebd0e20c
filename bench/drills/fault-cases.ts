// The fault cases of the external-faults drill: every fault kind of the emulators' control API
// (latency, 429 with and without Retry-After, 500, 503, dropped connection, a page that fails
// mid-listing) on each side — Azure Resource Manager, Entra ID's token endpoint, ServiceNow's Table
// API — alone, then each side's faults together, then everything at once.
//
// Faults are bounded (`times`, `probability`) so a case measures how the product rides out trouble, not
// how long it waits for an outage to end; the drill then removes them and a clean run must converge.
import type { EmulatorName } from "./http";

export type FaultRule = {
  id?: string;
  emulator: EmulatorName;
  method?: string;
  path: string;
  kind: "latency" | "status" | "drop" | "page";
  status?: number;
  retryAfter?: number;
  latencyMs?: number;
  page?: number;
  times?: number;
  probability?: number;
};

export type FaultCase = { name: string; sides: EmulatorName[]; rules: FaultRule[] };

/** Every ARM request (listings, governance writes) / the token endpoint / the Table API. */
const PATHS: Record<EmulatorName, string> = { arm: "**", entra: "/*/oauth2/v2.0/token", servicenow: "/api/now/table/**" };

type Kind = { name: string; rule: (side: EmulatorName) => FaultRule | null };

const KINDS: Kind[] = [
  {
    name: "latency",
    rule: (e) => ({
      emulator: e,
      path: PATHS[e],
      kind: "latency",
      latencyMs: e === "entra" ? 1500 : 300,
      probability: e === "entra" ? 1 : 0.4,
      times: 40,
    }),
  },
  {
    name: "429 with Retry-After",
    rule: (e) => ({
      emulator: e,
      path: PATHS[e],
      kind: "status",
      status: 429,
      retryAfter: 1,
      ...(e === "entra" ? { times: 2 } : { probability: 0.15, times: 5 }),
    }),
  },
  {
    name: "429 without Retry-After",
    rule: (e) => ({
      emulator: e,
      path: PATHS[e],
      kind: "status",
      status: 429,
      ...(e === "entra" ? { times: 2 } : { probability: 0.15, times: 4 }),
    }),
  },
  {
    name: "500",
    rule: (e) => ({
      emulator: e,
      path: PATHS[e],
      kind: "status",
      status: 500,
      ...(e === "entra" ? { times: 2 } : { probability: 0.1, times: 4 }),
    }),
  },
  {
    name: "503",
    rule: (e) => ({
      emulator: e,
      path: PATHS[e],
      kind: "status",
      status: 503,
      ...(e === "entra" ? { times: 2 } : { probability: 0.1, times: 4 }),
    }),
  },
  {
    name: "dropped connection",
    rule: (e) => ({ emulator: e, path: PATHS[e], kind: "drop", ...(e === "entra" ? { times: 2 } : { probability: 0.08, times: 4 }) }),
  },
  {
    name: "page failure",
    // ARM: page 2 of an assessments listing (100 per page) fails; ServiceNow pages by keyset (each page is
    // a new query at offset 0), so its failing page is page 1 of the ticket query. Entra ID has no listings.
    rule: (e) =>
      e === "arm"
        ? {
            emulator: "arm",
            method: "GET",
            path: "/subscriptions/*/providers/Microsoft.Security/assessments",
            kind: "page",
            page: 2,
            status: 500,
            times: 2,
          }
        : e === "servicenow"
          ? { emulator: "servicenow", method: "GET", path: "/api/now/table/incident", kind: "page", page: 1, status: 500, times: 2 }
          : null,
  },
];

const SIDES: EmulatorName[] = ["arm", "entra", "servicenow"];

/** Each kind alone on each side (20 cases; Entra ID has no page failure). */
export function singleCases(): FaultCase[] {
  return SIDES.flatMap((side) =>
    KINDS.flatMap((k) => {
      const rule = k.rule(side);
      return rule ? [{ name: `${side}: ${k.name}`, sides: [side], rules: [rule] }] : [];
    }),
  );
}

/**
 * Every kind of one side at once, per side; then every kind on every side at once. Together the page
 * failure strikes once: the ServiceNow ticket query has no partial mode (the run cannot know what it
 * did not read), so more failures than the client's retries fail the run and queue a follow-up.
 *
 * `quick` (what `npm test` runs): Entra ID's refusals all carry Retry-After: 1. After a 429 or 5xx
 * without it, MSAL refuses every token request of that client for 60 s (its built-in throttling, per
 * client application), and the drill has to wait that out before the clean run; the full matrix does.
 */
export function combinedCases(options: { quick?: boolean } = {}): FaultCase[] {
  const perSide = SIDES.map((side) => ({
    name: `${side}: all kinds${options.quick && side === "entra" ? " (refusals with Retry-After)" : ""}`,
    sides: [side],
    rules: KINDS.filter((k) => !(options.quick && side === "entra" && k.name === "429 without Retry-After"))
      .map((k) => k.rule(side))
      .filter((r): r is FaultRule => r !== null)
      .map((r) => (r.kind === "page" ? { ...r, times: 1 } : r))
      .map((r) => (options.quick && side === "entra" && r.kind === "status" ? { ...r, retryAfter: 1 } : r)),
  }));
  return [
    ...perSide,
    {
      name: `all sides, all kinds${options.quick ? " (Entra ID refusals with Retry-After)" : ""}`,
      sides: SIDES,
      rules: perSide.flatMap((c) => c.rules),
    },
  ];
}

/** How long MSAL refuses token requests after the case's Entra ID refusals (its throttling), in ms. */
export function msalThrottleMs(c: FaultCase): number {
  const refusals = c.rules.filter((r) => r.emulator === "entra" && r.kind === "status");
  if (refusals.length === 0) return 0;
  return Math.max(...refusals.map((r) => (r.retryAfter ?? 60) * 1000));
}
