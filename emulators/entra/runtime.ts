// What the Entra handlers share: the context, principals, signing key and current state, plus lookups.
import type { EmulatorContext } from "../common/platform";
import type { Person } from "../seed/types";
import { aadError } from "./errors";
import type { SigningKey } from "./keys";
import { type AppRoleValue, type Principal, type Principals, allPrincipals } from "./principals";
import type { EntraState } from "./state";

export type EntraRuntime = {
  ctx: EmulatorContext;
  principals: Principals;
  key: SigningKey;
  state(): EntraState;
  /** HTTPS base URL (issuer and back-channel endpoints). */
  baseUrl(): string;
  /** Plain-HTTP base URL of the browser-facing pages. */
  browserUrl(): string;
};

export function issuerOf(rt: EntraRuntime): string {
  return `${rt.baseUrl()}/${rt.ctx.world.tenantId}/v2.0`;
}

/** Accepts the tenant id or the verified domain, like Entra; anything else is AADSTS90002. */
export function checkTenant(rt: EntraRuntime, tenant: string): void {
  const world = rt.ctx.world;
  if (tenant.toLowerCase() === world.tenantId || tenant.toLowerCase() === world.domain) return;
  throw aadError(
    400,
    "invalid_tenant",
    90002,
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
  );
}

export function findPrincipal(rt: EntraRuntime, clientId: string): Principal | undefined {
  return allPrincipals(rt.principals).find((p) => p.clientId === clientId.toLowerCase());
}

export function findUser(rt: EntraRuntime, oid: string): Person | undefined {
  return rt.ctx.world.people.find((p) => p.oid === oid);
}

export function roleOf(rt: EntraRuntime, user: Person): AppRoleValue | null {
  const override = rt.state().roleOverrides.get(user.oid);
  return override !== undefined ? override : user.appRole;
}

/** Redirect URIs the dashboard app accepts: any port on http(s)://localhost and 127.0.0.1, plus configured ones. */
export function isRedirectAllowed(rt: EntraRuntime, clientId: string, redirectUri: string): boolean {
  if (clientId !== rt.principals.dashboardApp.clientId) return false;
  if (rt.state().extraRedirectUris.includes(redirectUri)) return true;
  try {
    const url = new URL(redirectUri);
    return (
      (url.protocol === "http:" || url.protocol === "https:") && (url.hostname === "localhost" || url.hostname === "127.0.0.1") && !url.hash
    );
  } catch {
    return false;
  }
}
