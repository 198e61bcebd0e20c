import "server-only";
import { isAppError } from "@/lib/http/errors";

/** A failure in words a person can act on (never a stack, never a secret). */
export function messageOf(error: unknown): string {
  if (isAppError(error)) return error.userMessage;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Whether trying the same thing again later may work (throttling, outages, unknown outcomes). */
export function isRetryableError(error: unknown): boolean {
  if (isAppError(error)) return error.isRetryable || error.code === "UPSTREAM_UNCERTAIN";
  // Database and network errors outside our clients (connection reset, pool timeout).
  return true;
}
