// ServiceNow failures → AppError, keeping the instance's own message ("Operation Failed: Data Policy
// Exception: … mandatory: Resolution code …") so users see why ServiceNow refused. Never includes
// credentials, tokens or request bodies.
import { z } from "zod";
import { AppError, type AppErrorCode } from "@/lib/http/errors";

const ZServiceNowError = z.object({
  error: z.object({
    message: z.string().nullish(),
    detail: z.string().nullish(),
  }),
});

export type ServiceNowErrorInfo = { status: number; message: string; detail: string | null };

/** Reads `{"error":{"message","detail"},"status":"failure"}`; falls back to the HTTP status text. */
export function parseServiceNowError(status: number, bodyText: string): ServiceNowErrorInfo {
  try {
    const parsed = ZServiceNowError.safeParse(JSON.parse(bodyText));
    if (parsed.success) {
      return { status, message: parsed.data.error.message || `HTTP ${status}`, detail: parsed.data.error.detail ?? null };
    }
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): the status is all we know.
  }
  return { status, message: `HTTP ${status}`, detail: null };
}

function codeFor(status: number): AppErrorCode {
  if (status === 400 || status === 422) return "UPSTREAM_BAD_REQUEST";
  if (status === 401) return "UPSTREAM_AUTH";
  if (status === 403) return "UPSTREAM_FORBIDDEN";
  if (status === 404) return "UPSTREAM_NOT_FOUND";
  if (status === 429) return "UPSTREAM_RATE_LIMITED";
  if (status >= 500) return "UPSTREAM_UNAVAILABLE";
  return "UPSTREAM_BAD_REQUEST";
}

export type RequestLabel = { method: string; target: string };

export function serviceNowHttpError(info: ServiceNowErrorInfo, request: RequestLabel, retryAfterSeconds?: number): AppError {
  const text = info.detail ? `${info.message}: ${info.detail.trim()}` : info.message;
  return new AppError(codeFor(info.status), {
    message: `ServiceNow answered ${info.status} to ${request.method} ${request.target}: ${text}`,
    userMessage: `ServiceNow: ${text}`,
    details: {
      status: info.status,
      serviceNowMessage: info.message,
      serviceNowDetail: info.detail,
      method: request.method,
      target: request.target,
    },
    retryAfterSeconds,
  });
}

export function serviceNowNetworkError(request: RequestLabel, cause: unknown, isTimeout: boolean): AppError {
  const what = isTimeout ? "timed out" : "could not be reached";
  return new AppError("UPSTREAM_UNAVAILABLE", {
    message: `ServiceNow ${what} (${request.method} ${request.target})`,
    userMessage: `ServiceNow ${what}.`,
    details: { isTimeout },
    cause,
  });
}

/**
 * A write that may or may not have happened (timeout, dropped connection or 5xx after the request was
 * sent). Retryable, but only after checking: look the record up (e.g. by correlation_id) first.
 */
export function serviceNowUncertainError(request: RequestLabel, cause: unknown): AppError {
  return new AppError("UPSTREAM_UNCERTAIN", {
    message: `ServiceNow did not confirm ${request.method} ${request.target}; it may or may not have been applied`,
    userMessage: "ServiceNow did not confirm the change; it will be checked and retried.",
    cause,
    isRetryable: true,
    details: { isUncertain: true },
  });
}

export function serviceNowResponseError(request: RequestLabel, problem: string): AppError {
  return new AppError("UPSTREAM_UNAVAILABLE", {
    message: `ServiceNow sent an unexpected response to ${request.method} ${request.target}: ${problem}`,
    userMessage: "ServiceNow sent an unexpected response.",
  });
}
