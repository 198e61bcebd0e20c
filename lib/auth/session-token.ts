// Session cookie sealing: an encrypted JWT (JWE, dir + A256GCM) keyed from SESSION_SECRET. The cookie
// only points at a server-side session record (sid) and names its cookie id (jti); whether it is still
// valid, and the person's role, come from the database (lib/auth/sessions.ts).
// No server-only import: proxy.ts uses it to rotate cookies and redirect unauthenticated pages.
import { EncryptJWT, jwtDecrypt } from "jose";
import { z } from "zod";

export const SESSION_COOKIE = "pd_session";
/** Default: reissue the cookie (new jti) once it is older than this (SESSION_ROTATE_MINUTES). */
export const ROTATE_AFTER_SECONDS = 10 * 60;

export const ZSessionClaims = z.object({
  uid: z.string().uuid(),
  /** The server-side session record (UserSession.id). */
  sid: z.string().uuid(),
  oid: z.string(),
  tid: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  /** Sign-in time (seconds); the session never outlives authTime + TTL. */
  authTime: z.number().int(),
  iat: z.number().int(),
  exp: z.number().int(),
  jti: z.string(),
});

export type TSessionClaims = z.infer<typeof ZSessionClaims>;
export type TSessionData = Omit<TSessionClaims, "iat" | "exp" | "jti">;

async function keyFrom(secret: string): Promise<Uint8Array> {
  const { hkdfSync } = await import("node:crypto");
  return new Uint8Array(hkdfSync("sha256", secret, "posturedesk", "session-cookie-v1", 32));
}

export async function sealSession(
  data: TSessionData,
  secret: string,
  ttlSeconds: number,
  nowSeconds = Math.floor(Date.now() / 1000),
  jti: string = crypto.randomUUID(),
): Promise<{ value: string; maxAge: number; jti: string; exp: number }> {
  const exp = Math.min(data.authTime + ttlSeconds, nowSeconds + ttlSeconds);
  const maxAge = Math.max(0, exp - nowSeconds);
  const value = await new EncryptJWT({ ...data })
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .setIssuedAt(nowSeconds)
    .setExpirationTime(exp)
    .setJti(jti)
    .encrypt(await keyFrom(secret));
  return { value, maxAge, jti, exp };
}

/** The session's claims, or null when the cookie is missing, tampered, or expired. */
export async function openSession(
  value: string | undefined,
  secret: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<TSessionClaims | null> {
  if (!value || value.length > 8192) return null;
  try {
    const { payload } = await jwtDecrypt(value, await keyFrom(secret), {
      currentDate: new Date(nowSeconds * 1000),
      keyManagementAlgorithms: ["dir"],
      contentEncryptionAlgorithms: ["A256GCM"],
    });
    const parsed = ZSessionClaims.safeParse(payload);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function needsRotation(
  claims: TSessionClaims,
  rotateAfterSeconds = ROTATE_AFTER_SECONDS,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  return nowSeconds - claims.iat >= rotateAfterSeconds;
}

export function sessionCookieOptions(appUrl: string, maxAge: number) {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    secure: appUrl.startsWith("https://"),
    path: "/",
    maxAge,
  };
}
