import "server-only";
import { hkdfSync } from "node:crypto";
import { EncryptJWT, jwtDecrypt } from "jose";
import { z } from "zod";

// The pending sign-in (state, nonce, PKCE verifier, where to return) lives in a short-lived encrypted
// cookie between the redirect to Entra ID and the callback: nothing to store server-side, and a
// callback in another browser cannot complete it.

export const AUTH_STATE_COOKIE = "pd_auth";
const TTL_SECONDS = 10 * 60;

const ZAuthState = z.object({ state: z.string(), nonce: z.string(), codeVerifier: z.string(), returnTo: z.string() });
export type TAuthState = z.infer<typeof ZAuthState>;

function key(secret: string): Uint8Array {
  return new Uint8Array(hkdfSync("sha256", secret, "posturedesk", "auth-state-v1", 32));
}

export async function sealAuthState(data: TAuthState, secret: string): Promise<string> {
  return new EncryptJWT({ ...data })
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .setIssuedAt()
    .setExpirationTime(`${TTL_SECONDS}s`)
    .encrypt(key(secret));
}

export async function openAuthState(value: string | undefined, secret: string): Promise<TAuthState | null> {
  if (!value) return null;
  try {
    const { payload } = await jwtDecrypt(value, key(secret), { keyManagementAlgorithms: ["dir"], contentEncryptionAlgorithms: ["A256GCM"] });
    const parsed = ZAuthState.safeParse(payload);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export const AUTH_STATE_TTL_SECONDS = TTL_SECONDS;

/** Only same-site relative paths: an attacker must not turn sign-in into an open redirect. */
export function safeReturnTo(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\") || value.length > 2000) return "/";
  if (value.startsWith("/api/") || value.startsWith("/signin")) return "/";
  return value;
}
