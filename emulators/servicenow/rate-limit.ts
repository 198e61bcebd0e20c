// Inbound REST rate limiting like the platform's "Rate Limit Rules": a number of requests per hour per
// user (optionally only for some users or roles), counted in clock-hour windows on the emulated clock.
// Every request the rule applies to carries X-RateLimit-Limit, X-RateLimit-Reset (epoch seconds of the
// next window) and X-RateLimit-Rule (the rule's sys_id); over the limit the instance answers 429 with
// Retry-After (seconds to the next window) and the same headers. X-RateLimit-Remaining is not documented
// and not sent.
import { z } from "zod";
import { stableHex } from "../common/rng";
import { HttpError } from "../common/http";
import { type Actor } from "./business-rules";

export const ZRateLimitRule = z
  .object({
    limitPerHour: z.number().int().min(0).max(10_000_000),
    /** Only these user_names (default: everyone). */
    users: z.array(z.string().trim().min(1)).optional(),
    /** Only users with one of these roles (default: everyone). */
    roles: z.array(z.string().trim().min(1)).optional(),
  })
  .strict();

export type RateLimitRule = z.infer<typeof ZRateLimitRule>;

export type RateLimitState = {
  rule: RateLimitRule | null;
  /** `${user}|${windowStartMs}` → requests counted in that window. */
  counts: Record<string, number>;
};

const HOUR_MS = 3600 * 1000;

export function createRateLimitState(): RateLimitState {
  return { rule: null, counts: {} };
}

function applies(rule: RateLimitRule, actor: Actor): boolean {
  if (rule.users && !rule.users.includes(actor.userName)) return false;
  if (rule.roles && !rule.roles.some((r) => actor.roles.includes(r))) return false;
  return true;
}

/** sys_id of the emulated sys_rate_limit_rules record (X-RateLimit-Rule). */
export const RATE_LIMIT_RULE_SYS_ID = stableHex(32, "servicenow-emulator", "sys_rate_limit_rules", "hourly");

/**
 * Counts one request; returns the X-RateLimit-* headers when a rule applies to it (empty otherwise),
 * throws the 429 when the actor is over the hourly limit.
 */
export function checkRateLimit(state: RateLimitState, actor: Actor, nowMs: number): Record<string, string> {
  const rule = state.rule;
  if (!rule || !applies(rule, actor)) return {};
  const windowStart = Math.floor(nowMs / HOUR_MS) * HOUR_MS;
  const key = `${actor.userName}|${windowStart}`;
  // Old windows are forgotten so the map stays small over long runs.
  for (const k of Object.keys(state.counts)) if (!k.endsWith(`|${windowStart}`)) delete state.counts[k];
  const count = (state.counts[key] ?? 0) + 1;
  state.counts[key] = count;
  const resetMs = windowStart + HOUR_MS;
  const headers = {
    "x-ratelimit-limit": String(rule.limitPerHour),
    "x-ratelimit-reset": String(Math.floor(resetMs / 1000)),
    "x-ratelimit-rule": RATE_LIMIT_RULE_SYS_ID,
  };
  if (count <= rule.limitPerHour) return headers;
  throw new HttpError(
    429,
    "TooManyRequests",
    "Rate limit exceeded",
    { ...headers, "retry-after": String(Math.max(1, Math.ceil((resetMs - nowMs) / 1000))) },
    `Rate limit of ${rule.limitPerHour} requests per hour for REST API exceeded`,
  );
}
