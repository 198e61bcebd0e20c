// Mutable Entra state: pending sign-in requests, authorization codes (single use, 10 minutes), refresh
// tokens (90 days), per-user app-role overrides and extra redirect URIs. Times use the emulated clock.
import { z } from "zod";
import type { AppRoleValue } from "./principals";

export type AuthorizationRequest = {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state?: string;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: "S256" | "plain";
  responseMode: "query" | "form_post" | "fragment";
  loginHint?: string;
  expiresAt: number;
};

export type AuthorizationCode = AuthorizationRequest & { oid: string; isRedeemed: boolean; codeExpiresAt: number };

export type RefreshToken = { clientId: string; oid: string; scopes: string[]; expiresAt: number };

const ZRefreshToken = z.object({ clientId: z.string(), oid: z.string(), scopes: z.array(z.string()), expiresAt: z.number() });
const ZSnapshot = z.object({
  refreshTokens: z.record(z.string(), ZRefreshToken),
  roleOverrides: z.record(z.string(), z.enum(["Admin", "Analyst", "Manager"]).nullable()),
  extraRedirectUris: z.array(z.string()),
});

export type EntraState = {
  pending: Map<string, AuthorizationRequest>;
  codes: Map<string, AuthorizationCode>;
  refreshTokens: Map<string, RefreshToken>;
  /** oid → role that replaces the seeded one (null = no role). */
  roleOverrides: Map<string, AppRoleValue | null>;
  extraRedirectUris: string[];
};

export function emptyEntraState(): EntraState {
  return { pending: new Map(), codes: new Map(), refreshTokens: new Map(), roleOverrides: new Map(), extraRedirectUris: [] };
}

export function snapshotEntraState(s: EntraState): z.infer<typeof ZSnapshot> {
  return {
    refreshTokens: Object.fromEntries(s.refreshTokens),
    roleOverrides: Object.fromEntries(s.roleOverrides),
    extraRedirectUris: [...s.extraRedirectUris],
  };
}

export function restoreEntraState(raw: unknown): EntraState {
  const s = ZSnapshot.parse(raw);
  return {
    ...emptyEntraState(),
    refreshTokens: new Map(Object.entries(s.refreshTokens)),
    roleOverrides: new Map(Object.entries(s.roleOverrides)),
    extraRedirectUris: s.extraRedirectUris,
  };
}

/** Drops expired entries so long-running demos do not grow without bound. */
export function sweep(s: EntraState, now: number): void {
  for (const [k, v] of s.pending) if (v.expiresAt < now) s.pending.delete(k);
  for (const [k, v] of s.codes) if (v.codeExpiresAt < now - 3600_000) s.codes.delete(k);
  for (const [k, v] of s.refreshTokens) if (v.expiresAt < now) s.refreshTokens.delete(k);
}
