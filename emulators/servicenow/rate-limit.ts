// Inbound REST rate limiting like the platform's "Rate Limit Rules": a number of requests per hour per
// user (optionally only for some users or roles), counted in clock-hour windows on the emulated clock.
// Over the limit the instance answers 429 with Retry-After (seconds to the next window),
// X-RateLimit-Limit and X-RateLimit-Reset (epoch seconds of the next window).
import { z } from "zod";
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

/** Counts one request; throws the 429 when the actor is over the hourly limit. */
export function checkRateLimit(state: RateLimitState, actor: Actor, nowMs: number): void {
  const rule = state.rule;
  if (!rule || !applies(rule, actor)) return;
  const windowStart = Math.floor(nowMs / HOUR_MS) * HOUR_MS;
  const key = `${actor.userName}|${windowStart}`;
  // Old windows are forgotten so the map stays small over long runs.
  for (const k of Object.keys(state.counts)) if (!k.endsWith(`|${windowStart}`)) delete state.counts[k];
  const count = (state.counts[key] ?? 0) + 1;
  state.counts[key] = count;
  if (count <= rule.limitPerHour) return;
  const resetMs = windowStart + HOUR_MS;
  throw new HttpError(
    429,
    "TooManyRequests",
    "Rate limit exceeded",
    {
      "retry-after": String(Math.max(1, Math.ceil((resetMs - nowMs) / 1000))),
      "x-ratelimit-limit": String(rule.limitPerHour),
      "x-ratelimit-reset": String(Math.floor(resetMs / 1000)),
      "x-ratelimit-rule": "posturedesk-emulator-hourly",
    },
    `User ${actor.userName} exceeded the limit of ${rule.limitPerHour} requests per hour`,
  );
}
