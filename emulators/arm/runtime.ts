// What every ARM handler does before answering: bearer token (401 + WWW-Authenticate), api-version (400),
// subscription exists (404), RBAC (403 AuthorizationFailed), read budget (429 + Retry-After), and the
// headers ARM puts on every answer. Plus paging with absolute nextLinks built from the request's Host.
import type { ServerResponse } from "node:http";
import type { JWTPayload } from "jose";
import { type EmulatorRequest, sendJson } from "../common/http";
import type { EmulatorContext } from "../common/platform";
import type { CatalogRecommendation } from "../seed/catalog";
import type { Resource, World } from "../seed/types";
import { armError, requestIdHeaders, writeArmError } from "./errors";
import type { ArmState } from "./state";

export type ArmOptions = {
  verifyAccessToken(token: string): Promise<JWTPayload>;
  /** Entra authority for WWW-Authenticate (e.g. https://localhost:PORT/<tenant>). */
  authorizationUri(): string;
  /** Principals (object ids) holding Security Reader (+ governance write) on every subscription. */
  readerObjectIds(): string[];
  /** Token audiences this instance answers to (its cloud); default: Azure public's. */
  audiences?: readonly string[];
};

export type ArmRuntime = {
  ctx: EmulatorContext;
  options: ArmOptions;
  state(): ArmState;
  /** Marks state as changed (invalidates computed views such as secure scores). */
  bump(): void;
};

export const PUBLIC_ARM_AUDIENCES = [
  "https://management.azure.com/",
  "https://management.azure.com",
  "https://management.core.windows.net/",
  "https://management.core.windows.net",
] as const;
const READ_LIMIT_DEFAULT = 12000;

type WorldIndex = { resources: Map<string, Resource>; recommendations: Map<string, CatalogRecommendation>; subscriptions: Set<string> };
const indexes = new WeakMap<World, WorldIndex>();

export function worldIndex(world: World): WorldIndex {
  let index = indexes.get(world);
  if (!index) {
    index = {
      resources: new Map(world.resources.map((r) => [r.id.toLowerCase(), r])),
      recommendations: new Map(world.recommendations.map((r) => [r.key.toLowerCase(), r as CatalogRecommendation])),
      subscriptions: new Set(world.subscriptions.map((s) => s.subscriptionId)),
    };
    indexes.set(world, index);
  }
  return index;
}

/** `subscriptions/{id}/…` → id (lowercased); anything else → 400. */
export function subscriptionOfScope(scope: string): string {
  const m = /^\/?subscriptions\/([^/]+)/i.exec(scope);
  if (!m)
    throw armError(
      400,
      "InvalidScope",
      `The scope '${scope}' is not supported by the emulator: use a subscription, resource group or resource scope.`,
    );
  return m[1]!.toLowerCase();
}

export type Guarded = { principal: string; headers: Record<string, string> };

export async function guard(
  rt: ArmRuntime,
  req: EmulatorRequest,
  check: { apiVersions: readonly string[]; subscriptionId?: string; action: string; isWrite?: boolean },
): Promise<Guarded> {
  const claims = await authenticate(rt, req);
  checkApiVersion(req, check.apiVersions);
  const principal = String(claims.oid ?? "");
  const world = rt.ctx.world;
  const budgetKey = check.subscriptionId ?? "tenant";
  if (check.subscriptionId) {
    if (!worldIndex(world).subscriptions.has(check.subscriptionId)) {
      throw armError(404, "SubscriptionNotFound", `The subscription '${check.subscriptionId}' could not be found.`);
    }
    if (!rt.options.readerObjectIds().includes(principal)) {
      throw armError(
        403,
        "AuthorizationFailed",
        `The client '${principal}' with object id '${principal}' does not have authorization to perform action '${check.action}' over scope '/subscriptions/${check.subscriptionId}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      );
    }
  }
  const headers = { ...requestIdHeaders(), ...countRequest(rt, budgetKey, Boolean(check.isWrite), Boolean(check.subscriptionId)) };
  return { principal, headers };
}

async function authenticate(rt: ArmRuntime, req: EmulatorRequest): Promise<JWTPayload> {
  const challenge = (description: string) => ({
    "www-authenticate": `Bearer authorization_uri="${rt.options.authorizationUri()}", error="invalid_token", error_description="${description}"`,
  });
  const header = req.headers.authorization;
  if (!header)
    throw armError(
      401,
      "AuthenticationFailed",
      "Authentication failed. The 'Authorization' header is missing.",
      challenge("The authentication failed because of missing 'Authorization' header."),
    );
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match)
    throw armError(
      401,
      "AuthenticationFailed",
      "Authentication failed. The 'Authorization' header is provided in an invalid format.",
      challenge("The authentication failed because of an invalid 'Authorization' header format."),
    );
  let claims: JWTPayload;
  try {
    claims = await rt.options.verifyAccessToken(match[1]!);
  } catch (error) {
    const isExpired = (error as { code?: string }).code === "ERR_JWT_EXPIRED";
    if (isExpired) {
      throw armError(
        401,
        "ExpiredAuthenticationToken",
        `The access token expiry UTC time is earlier than current UTC time '${new Date(rt.ctx.clock.now()).toISOString()}'.`,
        challenge("The access token has expired."),
      );
    }
    throw armError(401, "InvalidAuthenticationToken", "The access token is invalid.", challenge("The access token is invalid."));
  }
  const audience = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
  const allowed = rt.options.audiences ?? PUBLIC_ARM_AUDIENCES;
  if (!audience || !allowed.includes(audience)) {
    // ARM's documented answer to a token of another cloud or resource (see docs/EMULATORS.md, Contract: Azure).
    throw armError(
      401,
      "InvalidAuthenticationTokenAudience",
      `The access token has been obtained for wrong audience or resource '${audience}'. It should exactly match with one of the allowed audiences ${allowed.map((a) => `'${a}'`).join(",")}.`,
      challenge("The access token has been obtained for wrong audience."),
    );
  }
  if (claims.tid !== rt.ctx.world.tenantId) {
    throw armError(
      401,
      "InvalidAuthenticationTokenTenant",
      `The access token is from the wrong issuer '${String(claims.iss)}'.`,
      challenge("The access token is from the wrong tenant."),
    );
  }
  return claims;
}

function checkApiVersion(req: EmulatorRequest, supported: readonly string[]): void {
  const values = req.query.getAll("api-version");
  if (values.length === 0 || values.every((v) => v === "")) {
    throw armError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
  }
  // The SDK re-appends api-version to nextLinks that already carry it; identical duplicates are fine.
  const distinct = [...new Set(values)];
  if (distinct.length > 1 || !supported.includes(distinct[0]!)) {
    throw armError(
      400,
      "InvalidApiVersionParameter",
      `The api-version '${distinct.join(",")}' is invalid. The supported versions are '${supported.join(",")}'.`,
    );
  }
}

function countRequest(rt: ArmRuntime, key: string, isWrite: boolean, isSubscription: boolean): Record<string, string> {
  const { readBudget } = rt.state().config;
  const now = rt.ctx.clock.now();
  const windowMs = (readBudget?.windowSeconds ?? 3600) * 1000;
  const limit = readBudget?.limit ?? READ_LIMIT_DEFAULT;
  const bucketKey = `${isWrite ? "w" : "r"}:${key}`;
  let bucket = rt.state().reads.get(bucketKey);
  if (!bucket || now - bucket.windowStart >= windowMs) {
    bucket = { windowStart: now, count: 0 };
    rt.state().reads.set(bucketKey, bucket);
  }
  const header = `x-ms-ratelimit-remaining-${isSubscription ? "subscription" : "tenant"}-${isWrite ? "writes" : "reads"}`;
  if (readBudget && !isWrite && bucket.count >= limit) {
    const retryAfter = Math.max(1, Math.ceil((bucket.windowStart + windowMs - now) / 1000));
    throw armError(
      429,
      "SubscriptionRequestsThrottled",
      `Number of 'read' requests for subscription '${key}' actor '${key}' exceeded. Please try again after '${retryAfter}' seconds after the last request.`,
      { "retry-after": String(retryAfter), [header]: "0" },
    );
  }
  bucket.count++;
  return { [header]: String(Math.max(0, limit - bucket.count)) };
}

export function armJson(res: ServerResponse, status: number, body: unknown, guarded: Guarded, extra: Record<string, string> = {}): void {
  sendJson(res, status, body, { ...guarded.headers, ...extra });
}

function decodeSkipToken(token: string | null): number {
  if (!token) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { o?: unknown };
    if (typeof parsed.o === "number" && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
  } catch {
    // fall through
  }
  throw armError(400, "InvalidSkipToken", "The provided $skipToken is not valid.");
}

/** Serves one page of `items` (ARM `{ value, nextLink }`), honouring injected page faults. */
export async function sendPage<T>(
  rt: ArmRuntime,
  req: EmulatorRequest,
  res: ServerResponse,
  guarded: Guarded,
  items: readonly T[],
  serialize: (item: T) => unknown,
  pageSize = rt.state().config.pageSize,
): Promise<void> {
  const offset = decodeSkipToken(req.query.get("$skipToken") ?? req.query.get("$skiptoken"));
  const page = Math.floor(offset / pageSize) + 1;
  if (await rt.ctx.faults.interceptPage("arm", req.raw, res, page, writeArmError)) return;
  const body: { value: unknown[]; nextLink?: string } = { value: items.slice(offset, offset + pageSize).map(serialize) };
  if (offset + pageSize < items.length) {
    const next = new URL(req.url.pathname, req.origin);
    for (const [k, v] of req.url.searchParams)
      if (k.toLowerCase() !== "$skiptoken" && !next.searchParams.has(k)) next.searchParams.set(k, v);
    next.searchParams.set("$skipToken", Buffer.from(JSON.stringify({ o: offset + pageSize })).toString("base64url"));
    body.nextLink = next.toString();
  }
  armJson(res, 200, body, guarded);
}
