// Maps Azure failures (RestError from the SDK pipeline, MSAL errors, raw ARM error bodies) to AppError
// so callers branch on codes, never on message text. Messages keep ARM's code but never a token.
import "server-only";
import { isRestError } from "@azure/core-rest-pipeline";
import { AppError, type AppErrorCode } from "@/lib/http/errors";

export class NextLinkOriginError extends Error {
  constructor(
    readonly url: string,
    readonly expectedOrigin: string,
  ) {
    super(
      `Refusing to follow a link to ${new URL(url).origin}: only ${expectedOrigin} (the configured ARM endpoint) may receive the bearer token.`,
    );
    this.name = "NextLinkOriginError";
  }
}

export function statusToCode(status: number): AppErrorCode {
  if (status === 400 || status === 409 || status === 422) return "UPSTREAM_BAD_REQUEST";
  if (status === 401) return "UPSTREAM_AUTH";
  if (status === 403) return "UPSTREAM_FORBIDDEN";
  if (status === 404) return "UPSTREAM_NOT_FOUND";
  if (status === 429) return "UPSTREAM_RATE_LIMITED";
  return "UPSTREAM_UNAVAILABLE";
}

/** ARM error body `{ error: { code, message, details? } }` → "Code: message (DetailCode: detail)" (or undefined). */
export function armErrorText(body: unknown): string | undefined {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  if (!error || typeof error !== "object") return undefined;
  const main = [error.code, error.message].filter((p) => typeof p === "string" && p).join(": ");
  const detail = Array.isArray(error.details) ? (error.details[0] as { code?: unknown; message?: unknown } | undefined) : undefined;
  const extra = detail ? [detail.code, detail.message].filter((p) => typeof p === "string" && p).join(": ") : "";
  return (extra ? `${main} (${extra})` : main) || undefined;
}

function retryAfterSeconds(headers: { get(name: string): string | undefined } | undefined): number | undefined {
  const value = headers?.get("retry-after");
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** Turns anything thrown while talking to Azure into an AppError (idempotent for AppErrors). */
export function toAzureAppError(error: unknown, what: string, options: { isWrite?: boolean } = {}): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof NextLinkOriginError)
    return new AppError("UPSTREAM_BAD_REQUEST", { message: error.message, cause: error, isRetryable: false });
  if (isRestError(error)) {
    if (error.statusCode) {
      const text = armErrorText(safeJson(error.response?.bodyAsText ?? undefined)) ?? error.code ?? error.message;
      return new AppError(statusToCode(error.statusCode), {
        message: `Azure ${what} failed with HTTP ${error.statusCode}: ${text}`,
        cause: error,
        retryAfterSeconds: retryAfterSeconds(error.response?.headers),
      });
    }
    // No status: the request never completed (DNS, TLS, reset, timeout).
    const isTimeout = error.code === "REQUEST_SEND_ERROR" && /abort|timeout/i.test(error.message);
    return new AppError(options.isWrite && isTimeout ? "UPSTREAM_UNCERTAIN" : "UPSTREAM_UNAVAILABLE", {
      message: `Azure ${what} failed: ${error.message}`,
      cause: error,
      isRetryable: true,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  // MSAL errors carry errorCode (e.g. invalid_client) and an AADSTS code in the message.
  const msal = error as { errorCode?: string; name?: string };
  if (msal.name?.includes("Msal") || msal.name === "ServerError" || msal.name === "ClientAuthError" || msal.errorCode) {
    const isCredential =
      ["invalid_client", "unauthorized_client", "invalid_grant", "invalid_tenant", "invalid_resource", "invalid_scope"].includes(
        msal.errorCode ?? "",
      ) || /AADSTS(7000215|700016|90002|7000218|500011)/.test(message);
    return new AppError(isCredential ? "UPSTREAM_AUTH" : "UPSTREAM_UNAVAILABLE", {
      message: `Entra ID token request for ${what} failed: ${msal.errorCode ?? "error"}: ${message.split("\n")[0]}`,
      cause: error,
      isRetryable: !isCredential,
    });
  }
  return new AppError("UPSTREAM_UNAVAILABLE", { message: `Azure ${what} failed: ${message}`, cause: error });
}

function safeJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
