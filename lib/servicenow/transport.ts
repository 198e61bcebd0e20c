import "server-only";

// One HTTP exchange with the instance, with the policies every call shares:
// - a timeout on every attempt (connect + response + body);
// - 401 → the auth provider renews the OAuth token once, then the request is repeated;
// - 429 → wait Retry-After (seconds or HTTP date) when given, else exponential backoff with jitter;
//   a Retry-After longer than `maxRetryAfterSeconds` is not waited for: the caller gets
//   UPSTREAM_RATE_LIMITED with retryAfterSeconds and reschedules;
// - 5xx, timeouts and network errors are retried for idempotent requests only. A non-idempotent write
//   that may have reached the instance (timeout, reset, 5xx) is never repeated blindly: it fails with
//   UPSTREAM_UNCERTAIN so the caller can look the record up (correlation_id) before trying again.
//   A refused connection (nothing was sent) is retried for every request.
import { AppError } from "@/lib/http/errors";
import { type AuthProvider } from "./auth";
import { parseServiceNowError, type RequestLabel, serviceNowHttpError, serviceNowNetworkError, serviceNowUncertainError } from "./errors";

export type ServiceNowLogger = {
  warn(obj: Record<string, unknown>, msg: string): void;
  debug?(obj: Record<string, unknown>, msg: string): void;
};

export type RequestInfo = {
  method: string;
  /** Path of the request (no host, no query). */
  path: string;
  /** HTTP status, or 0 when no response arrived. */
  status: number;
  durationMs: number;
  /** 1 for the first try. */
  attempt: number;
};

export type TransportOptions = {
  auth: AuthProvider;
  timeoutMs: number;
  maxRetries: number;
  retryBaseDelayMs: number;
  maxRetryDelayMs: number;
  maxRetryAfterSeconds: number;
  logger?: ServiceNowLogger;
  onRequest?: (info: RequestInfo) => void;
};

export type SendRequest = {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  url: URL;
  body?: unknown;
  isIdempotent: boolean;
  label: RequestLabel;
};

export type SendResult = { status: number; headers: Headers; bodyText: string };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retry-After as seconds (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** Exponential backoff with "equal jitter": half fixed, half random, capped. */
export function backoffDelay(retry: number, baseMs: number, capMs: number, random = Math.random): number {
  const exp = Math.min(capMs, baseMs * 2 ** retry);
  return Math.round(exp / 2 + random() * (exp / 2));
}

function errorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } })?.cause;
  return typeof cause?.code === "string" ? cause.code : undefined;
}

const isTimeout = (error: unknown) => error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
/** The request never left: safe to repeat even a create. */
const isNotSent = (error: unknown) =>
  ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"].includes(errorCode(error) ?? "");

export function createTransport(options: TransportOptions) {
  const log = options.logger;

  return async function send(request: SendRequest): Promise<SendResult> {
    let hasRenewedAuth = false;
    for (let attempt = 1; ; attempt++) {
      const retriesLeft = options.maxRetries - (attempt - 1);
      const authorization = await options.auth.header();
      const started = performance.now();
      let response: Response;
      let bodyText: string;
      try {
        response = await fetch(request.url, {
          method: request.method,
          headers: {
            accept: "application/json",
            authorization,
            ...(request.body !== undefined ? { "content-type": "application/json" } : {}),
          },
          body: request.body !== undefined ? JSON.stringify(request.body) : undefined,
          signal: AbortSignal.timeout(options.timeoutMs),
          // A redirect (hibernating instance, SSO login page) is an error, never followed with our credentials.
          redirect: "manual",
        });
        bodyText = await response.text();
      } catch (error) {
        options.onRequest?.({
          method: request.method,
          path: request.url.pathname,
          status: 0,
          durationMs: performance.now() - started,
          attempt,
        });
        const timedOut = isTimeout(error);
        const canRetry = request.isIdempotent || isNotSent(error);
        if (!canRetry) throw serviceNowUncertainError(request.label, error);
        if (retriesLeft <= 0) throw serviceNowNetworkError(request.label, error, timedOut);
        const delay = backoffDelay(attempt - 1, options.retryBaseDelayMs, options.maxRetryDelayMs);
        log?.warn(
          {
            target: request.label.target,
            method: request.method,
            attempt,
            delayMs: delay,
            reason: timedOut ? "timeout" : (errorCode(error) ?? "network"),
          },
          "ServiceNow request failed; retrying",
        );
        await sleep(delay);
        continue;
      }
      const status = response.status;
      options.onRequest?.({ method: request.method, path: request.url.pathname, status, durationMs: performance.now() - started, attempt });
      if (status < 300) return { status, headers: response.headers, bodyText };

      if (status === 401 && !hasRenewedAuth && (await options.auth.invalidate(authorization))) {
        hasRenewedAuth = true;
        attempt--; // a token renewal is not a retry
        continue;
      }
      const info = parseServiceNowError(status, bodyText);
      if (status === 429) {
        const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
        if (retryAfter !== undefined && retryAfter > options.maxRetryAfterSeconds)
          throw serviceNowHttpError(info, request.label, retryAfter);
        if (retriesLeft <= 0) throw serviceNowHttpError(info, request.label, retryAfter);
        const delay =
          retryAfter !== undefined ? retryAfter * 1000 : backoffDelay(attempt - 1, options.retryBaseDelayMs, options.maxRetryDelayMs);
        log?.warn(
          { target: request.label.target, method: request.method, attempt, delayMs: delay, hasRetryAfter: retryAfter !== undefined },
          "ServiceNow rate limit (429); retrying",
        );
        await sleep(delay);
        continue;
      }
      if (status >= 500) {
        if (!request.isIdempotent) throw serviceNowUncertainError(request.label, serviceNowHttpError(info, request.label));
        if (retriesLeft <= 0) throw serviceNowHttpError(info, request.label);
        const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
        const delay =
          retryAfter !== undefined && retryAfter <= options.maxRetryAfterSeconds
            ? retryAfter * 1000
            : backoffDelay(attempt - 1, options.retryBaseDelayMs, options.maxRetryDelayMs);
        log?.warn(
          { target: request.label.target, method: request.method, attempt, status, delayMs: delay },
          "ServiceNow server error; retrying",
        );
        await sleep(delay);
        continue;
      }
      throw serviceNowHttpError(info, request.label);
    }
  };
}

export type Send = ReturnType<typeof createTransport>;

/** Throws when a URL handed back by the instance (a Link header) points elsewhere: never send credentials there. */
export function assertSameOrigin(url: URL, base: URL): void {
  if (url.origin !== base.origin) {
    throw new AppError("UPSTREAM_UNAVAILABLE", { message: `ServiceNow returned a paging link to another origin (${url.origin})` });
  }
}
