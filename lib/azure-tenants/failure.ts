import "server-only";

// Plain-language reasons for a failed call to Entra ID or Azure Resource Manager, one per failure mode
// an admin can act on: wrong secret, unknown application, wrong tenant, missing role, untrusted
// certificate, unreachable endpoint, throttling, outage. Decided on error codes (AADSTS numbers, MSAL
// error codes, socket codes, AppError codes), never on message text. Each message is ours; of Azure's
// answer only a short sanitised excerpt of ARM's documented error (code and message) may follow
// (lib/http/excerpt.ts) — never other fields of the body.
import { isRestError } from "@azure/core-rest-pipeline";
import { armErrorText } from "@/lib/azure/errors";
import { env } from "@/lib/env";
import { withExcerpt } from "@/lib/http/excerpt";
import { AppError, isAppError } from "@/lib/http/errors";
import { guardedFetch } from "@/lib/net/guarded-fetch";

export type AzureFailureKind =
  | "config"
  | "bad_secret"
  | "unknown_client"
  | "wrong_tenant"
  | "auth"
  | "forbidden"
  | "tls"
  | "unreachable"
  | "timeout"
  | "throttled"
  | "server"
  | "rejected"
  | "unknown";

const TLS_CODES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_GET_ISSUER_CERT",
  "CERT_HAS_EXPIRED",
  "CERT_UNTRUSTED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

type Found = { socketCode?: string; aadsts?: string; msalCode?: string; status?: number; isTimeout: boolean };

/** Walks the cause chain (AppError → RestError/MSAL error → fetch/socket error) collecting codes. */
function inspect(error: unknown): Found {
  const found: Found = { isTimeout: false };
  let current: unknown = error;
  for (let depth = 0; current && depth < 8; depth++) {
    const e = current as {
      code?: unknown;
      errorNo?: unknown;
      errorCode?: unknown;
      statusCode?: unknown;
      status?: unknown;
      name?: unknown;
      message?: unknown;
    };
    if (typeof e.errorNo === "string" && e.errorNo && !found.aadsts) found.aadsts = e.errorNo;
    if (typeof e.errorCode === "string" && e.errorCode && !found.msalCode) found.msalCode = e.errorCode;
    if (typeof e.code === "string" && !isAppError(current) && (TLS_CODES.has(e.code) || /^E[A-Z_]+$/.test(e.code)) && !found.socketCode)
      found.socketCode = e.code;
    if (typeof e.statusCode === "number" && !found.status) found.status = e.statusCode;
    if (e.name === "TimeoutError" || e.name === "AbortError") found.isTimeout = true;
    // MSAL keeps the AADSTS number only in its message when error_codes is missing.
    if (!found.aadsts && typeof e.message === "string") found.aadsts = /AADSTS(\d+)/.exec(e.message)?.[1];
    current = (current as { cause?: unknown }).cause;
  }
  return found;
}

/** ARM's documented error text ({ error: { code, message } }) from the RestError on the cause chain, if any. */
function armRemoteText(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; current && depth < 8; depth++) {
    const carried = (current as { armErrorText?: unknown }).armErrorText;
    if (typeof carried === "string" && carried) return carried;
    if (isRestError(current)) {
      try {
        return armErrorText(JSON.parse(current.response?.bodyAsText ?? "")) ?? null;
      } catch {
        return null;
      }
    }
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** Our own refusal (the SSRF guard, a pinned origin) somewhere on the cause chain, e.g. inside an MSAL error. */
function ownRefusal(error: unknown): AppError | null {
  let current: unknown = error;
  for (let depth = 0; current && depth < 8; depth++) {
    if (isAppError(current) && (current.code === "VALIDATION" || current.code === "CONFLICT")) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** The sign-in authority and the ARM endpoint to check, each once (they are often the same host, e.g. behind one proxy). */
function endpointsOf(where: { authorityHost: string; armEndpoint: string }): string {
  const hosts = [...new Set([where.authorityHost, where.armEndpoint].map((h) => h.replace(/\/+$/, "")))];
  return hosts.join(" and ");
}

export function describeAzureFailure(
  error: unknown,
  where: { authorityHost: string; armEndpoint: string; tenantId: string; clientId: string },
): { kind: AzureFailureKind; message: string } {
  const found = inspect(error);
  const refusal = ownRefusal(error);
  if (refusal) return { kind: "config", message: refusal.userMessage };
  const remote = armRemoteText(error);
  const said = (message: string) => withExcerpt(message, remote, "Azure said");
  switch (found.aadsts) {
    case "7000215":
    case "7000222":
      return {
        kind: "bad_secret",
        message: `Entra ID refused the client secret of application ${where.clientId} (AADSTS${found.aadsts}): it is wrong or expired. Create a new secret under Certificates & secrets and save it here.`,
      };
    case "7000218":
      return { kind: "bad_secret", message: "Entra ID received no client secret (AADSTS7000218). Save the application's client secret." };
    case "700016":
      return {
        kind: "unknown_client",
        message: `Application ${where.clientId} is not registered in directory ${where.tenantId} (AADSTS700016). Check the client id and the tenant id.`,
      };
    case "90002":
    case "900023":
      return {
        kind: "wrong_tenant",
        message: `Directory ${where.tenantId} was not found at ${where.authorityHost} (AADSTS${found.aadsts}). Check the tenant id (a GUID or a verified domain).`,
      };
  }
  if (!isAppError(error)) return { kind: "unknown", message: "Unexpected error while talking to Azure." };
  if (found.socketCode && TLS_CODES.has(found.socketCode)) {
    return {
      kind: "tls",
      message: `The TLS certificate of the endpoint is not trusted (${found.socketCode}). Add its CA to NODE_EXTRA_CA_CERTS when the app starts, or fix the certificate.`,
    };
  }
  if (found.socketCode === "ENOTFOUND" || found.socketCode === "EAI_AGAIN")
    return { kind: "unreachable", message: `A host could not be resolved (DNS). Check ${endpointsOf(where)}.` };
  if (found.socketCode === "ECONNREFUSED")
    return { kind: "unreachable", message: `Nothing answers (connection refused). Check ${endpointsOf(where)}.` };
  if (found.socketCode === "ECONNRESET" || found.socketCode === "EPIPE")
    return {
      kind: "unreachable",
      message: "The endpoint closed the connection before answering. Try again; if it persists, check proxies and firewalls.",
    };
  if (found.isTimeout || found.socketCode === "ETIMEDOUT" || error.code === "UPSTREAM_UNCERTAIN")
    return { kind: "timeout", message: "Azure did not answer in time. Try again later." };
  switch (error.code) {
    case "UPSTREAM_AUTH":
      return {
        kind: "auth",
        message: said(`Azure refused the credentials of application ${where.clientId}. Check the client id, the secret and the tenant id.`),
      };
    case "UPSTREAM_FORBIDDEN":
      return {
        kind: "forbidden",
        message: said(
          "Signed in, but not allowed (HTTP 403). Grant the service principal the Security Reader role on the subscriptions to ingest.",
        ),
      };
    case "UPSTREAM_RATE_LIMITED":
      return {
        kind: "throttled",
        message: `Azure is throttling this service principal${error.retryAfterSeconds ? ` (it asks to wait ${error.retryAfterSeconds} s)` : ""}. Try again later.`,
      };
    case "UPSTREAM_NOT_FOUND":
      return {
        kind: "rejected",
        message: said(`Azure answered HTTP 404: check the ARM endpoint (${where.armEndpoint}) and the subscriptions.`),
      };
    case "UPSTREAM_BAD_REQUEST":
      return { kind: "rejected", message: said(`Azure rejected the request${found.status ? ` (HTTP ${found.status})` : ""}.`) };
    case "UPSTREAM_UNAVAILABLE":
      if (found.status !== undefined && found.status >= 500)
        return { kind: "server", message: `Azure answered HTTP ${found.status}: the service is unavailable right now. Try again later.` };
      return { kind: "unreachable", message: `Azure could not be reached or sent an unexpected answer. Check ${endpointsOf(where)}.` };
    default:
      return { kind: "unknown", message: "Unexpected error while talking to Azure." };
  }
}

const MSAL_DISCOVERY_FAILURES = new Set(["endpoints_resolution_error", "openid_config_error", "untrusted_authority", "network_error"]);

/**
 * MSAL reports a failed authority discovery as one generic code (endpoints_resolution_error), whatever
 * happened: a wrong tenant, an untrusted certificate, nothing listening. Then this asks the discovery
 * document itself and describes what it answered.
 */
export async function explainTokenFailure(
  error: unknown,
  where: { authorityHost: string; armEndpoint: string; tenantId: string; clientId: string; allowPrivateNetwork?: boolean },
): Promise<{ kind: AzureFailureKind; message: string }> {
  const described = describeAzureFailure(error, where);
  const found = inspect(error);
  if (!found.msalCode || !MSAL_DISCOVERY_FAILURES.has(found.msalCode) || found.socketCode || found.aadsts) return described;
  const url = `${where.authorityHost}/${encodeURIComponent(where.tenantId)}/v2.0/.well-known/openid-configuration`;
  try {
    // Through the same guard as MSAL (https, SSRF, no redirects, the authority's origin only).
    const res = await guardedFetch(
      url,
      { signal: AbortSignal.timeout(10_000) },
      {
        allowPrivate: where.allowPrivateNetwork === true && env().ALLOW_PRIVATE_NETWORK,
        purpose: "Entra ID authority",
        pinnedOrigin: where.authorityHost,
      },
    );
    if (res.ok) return described;
    const body = (await res.json().catch(() => null)) as { error_codes?: unknown[] } | null;
    const code = Array.isArray(body?.error_codes) ? String(body.error_codes[0]) : undefined;
    if (code) {
      const fromCode = describeAzureFailure(Object.assign(new Error("discovery"), { errorNo: code }), where);
      if (fromCode.kind !== "unknown") return fromCode;
    }
    return {
      kind: "rejected",
      message: `${url} answered HTTP ${res.status}: check the authority host (e.g. https://login.microsoftonline.com) and the tenant id.`,
    };
  } catch (cause) {
    const probed = describeAzureFailure(
      new AppError("UPSTREAM_UNAVAILABLE", { message: `Entra ID discovery at ${url} failed`, cause }),
      where,
    );
    return probed.kind === "unknown" ? described : probed;
  }
}
