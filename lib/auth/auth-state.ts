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
    const { payload } = await jwtDecrypt(value, key(secret), {
      keyManagementAlgorithms: ["dir"],
      contentEncryptionAlgorithms: ["A256GCM"],
    });
    const parsed = ZAuthState.safeParse(payload);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export const AUTH_STATE_TTL_SECONDS = TTL_SECONDS;

/**
 * Where to go after sign-in: only a path on the app's own origin. Control characters (the URL parser
 * silently drops tab, CR and LF, so "/\t/evil.example" would become "//evil.example") and backslashes
 * (read as "/" by browsers) are refused outright; what is left must resolve to `appUrl`'s origin.
 * Anything else, and the sign-in pages and API themselves, become "/".
 */
export function safeReturnTo(value: string | null | undefined, appUrl: string): string {
  if (!value || value.length > 2000) return "/";
  if (/[\u0000-\u001f\u007f-\u009f\\]/.test(value)) return "/";
  if (!value.startsWith("/") || value.startsWith("//")) return "/";
  let resolved: URL;
  let origin: string;
  try {
    origin = new URL(appUrl).origin;
    resolved = new URL(value, origin);
  } catch {
    return "/";
  }
  if (resolved.origin !== origin) return "/";
  const path = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  if (path.startsWith("//") || path.startsWith("/api/") || /^\/signin(?:[/?#]|$)/.test(path)) return "/";
  return path;
}
