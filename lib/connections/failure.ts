import "server-only";
import { withExcerpt } from "@/lib/http/excerpt";
import { isAppError } from "@/lib/http/errors";

// Plain-language reasons for a failed call to a ServiceNow instance, one per failure mode a person
// can act on (wrong address, untrusted certificate, wrong password, missing role, rate limit, outage).
// Each message is ours; of ServiceNow's answer only a short sanitised excerpt of its documented error
// message may follow (lib/http/excerpt.ts) — never its detail or any other field of the body.

const TLS_CODES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** The first `code` found along the error's cause chain (fetch wraps the socket error). */
function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 6; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && !isAppError(current)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function hasTimeout(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 6; depth++) {
    const name = (current as { name?: unknown }).name;
    if (name === "TimeoutError" || name === "AbortError") return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

export type FailureKind =
  | "unreachable"
  | "tls"
  | "timeout"
  | "auth"
  | "forbidden"
  | "not_found"
  | "redirect"
  | "rate_limited"
  | "server"
  | "rejected"
  | "config"
  | "unknown";

export function describeServiceNowFailure(error: unknown, instanceUrl: string): { kind: FailureKind; message: string } {
  if (!isAppError(error)) return { kind: "unknown", message: "Unexpected error while talking to ServiceNow." };
  // Decided by code and structured details (set where the error is made), never by the message text.
  const details = error.details as { status?: number; serviceNowMessage?: string; authMode?: "oauth"; isTimeout?: boolean } | undefined;
  const status = details?.status;
  /** ServiceNow's own words: an excerpt of error.message from its error body, if it sent one. */
  const remote = details?.serviceNowMessage && details.serviceNowMessage !== `HTTP ${status}` ? details.serviceNowMessage : null;
  switch (error.code) {
    case "VALIDATION":
      return { kind: "config", message: error.userMessage };
    case "UPSTREAM_AUTH":
      return {
        kind: "auth",
        message:
          details?.authMode === "oauth"
            ? "ServiceNow refused the OAuth sign-in: check the client id and secret in System OAuth › Application Registry, and the user name and password."
            : "ServiceNow refused the user name or password (HTTP 401). Check the credentials and that the account is active and not locked out.",
      };
    case "UPSTREAM_FORBIDDEN":
      return {
        kind: "forbidden",
        message: withExcerpt("Signed in, but not allowed: ServiceNow refused the request (HTTP 403; an ACL or a missing role).", remote),
      };
    case "UPSTREAM_NOT_FOUND":
      return {
        kind: "not_found",
        message: withExcerpt("ServiceNow answered HTTP 404: the table or record does not exist on this instance.", remote),
      };
    case "UPSTREAM_RATE_LIMITED":
      return {
        kind: "rate_limited",
        message: `ServiceNow's rate limit was reached${error.retryAfterSeconds ? `; it asks to wait ${error.retryAfterSeconds} s` : ""}. Try again later or raise the integration user's rate limit.`,
      };
    case "UPSTREAM_BAD_REQUEST":
      if (status !== undefined && status >= 300 && status < 400) {
        return {
          kind: "redirect",
          message: `${instanceUrl} redirected instead of answering (HTTP ${status}): the instance may be hibernating, or the URL points at a login page rather than the instance.`,
        };
      }
      return { kind: "rejected", message: withExcerpt(`ServiceNow rejected the request${status ? ` (HTTP ${status})` : ""}.`, remote) };
    case "UPSTREAM_UNAVAILABLE": {
      const code = causeCode(error.cause);
      if (code && TLS_CODES.has(code)) {
        return {
          kind: "tls",
          message: `The TLS certificate of ${instanceUrl} is not trusted (${code}). Add its CA to NODE_EXTRA_CA_CERTS or fix the certificate.`,
        };
      }
      if (code === "ENOTFOUND" || code === "EAI_AGAIN")
        return { kind: "unreachable", message: `The host of ${instanceUrl} could not be resolved (DNS). Check the instance URL.` };
      if (code === "ECONNREFUSED")
        return {
          kind: "unreachable",
          message: `Nothing answers at ${instanceUrl} (connection refused). Check the instance URL and that the instance is up.`,
        };
      if (details?.isTimeout || hasTimeout(error.cause))
        return { kind: "timeout", message: `${instanceUrl} did not answer in time. The instance may be down or very slow.` };
      if (status !== undefined && status >= 500)
        return { kind: "server", message: `ServiceNow answered HTTP ${status}: the instance is unavailable right now. Try again later.` };
      return { kind: "unreachable", message: `${instanceUrl} could not be reached or sent an unexpected answer.` };
    }
    case "UPSTREAM_UNCERTAIN":
      return { kind: "timeout", message: "ServiceNow did not confirm in time. Try again later." };
    default:
      return { kind: "unknown", message: "Unexpected error while talking to ServiceNow." };
  }
}
