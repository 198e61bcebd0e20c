import "server-only";
import { cookies } from "next/headers";
import { env } from "@/lib/env";
import { sha256Hex } from "@/lib/crypto/secrets";
import { AppError } from "@/lib/http/errors";
import { hasRole, ROLE_LABEL, type TRole } from "@/lib/auth/roles";
import { SESSION_COOKIE, openSession } from "@/lib/auth/session-token";
import { checkSessionRecord } from "@/lib/auth/sessions-sql";
import { apiTokenByHash, touchApiToken } from "@/lib/auth/token-sql";

/** Who is calling: a signed-in person (session cookie) or an automation (API token). */
export type Actor = {
  type: "user" | "token";
  /** User id, or API token id. */
  id: string;
  name: string;
  email: string | null;
  /** Null for a person who signed in without any app role (sees the "no access" page). */
  role: TRole | null;
  /** Session actors: the server-side session record (UserSession.id). */
  sessionId?: string;
  /** Token actors: the person the token acts for; its role never exceeds theirs. */
  ownerId?: string;
};

export const API_TOKEN_PREFIX = "pd_";

/** Resolves the caller of an API request: bearer token first (no ambient credentials), then the cookie. */
export async function resolveActor(req: Request): Promise<Actor | null> {
  const authorization = req.headers.get("authorization");
  if (authorization) return resolveApiToken(authorization);
  return actorFromSessionCookie(readCookie(req.headers.get("cookie"), SESSION_COOKIE));
}

/** The signed-in person of the current page (server components), from the session cookie. */
export async function resolveSessionActor(): Promise<Actor | null> {
  const jar = await cookies();
  return actorFromSessionCookie(jar.get(SESSION_COOKIE)?.value);
}

/** The cookie must open and name a live session record; the role comes from the User row. */
async function actorFromSessionCookie(value: string | undefined): Promise<Actor | null> {
  const claims = await openSession(value, env().SESSION_SECRET);
  if (!claims) return null;
  const session = await checkSessionRecord(claims.sid, claims.jti);
  if (!session || session.userId !== claims.uid) return null;
  return { type: "user", id: session.userId, name: session.name, email: session.email, role: session.role, sessionId: claims.sid };
}

function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

async function resolveApiToken(authorization: string): Promise<Actor | null> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match || !match[1].startsWith(API_TOKEN_PREFIX) || match[1].length > 200) return null;
  const token = await apiTokenByHash(sha256Hex(match[1]));
  const now = new Date();
  if (!token || token.revokedAt || token.expiresAt <= now) return null;
  // A token acts for a person and never holds more than that person does now.
  const owner = token.createdBy;
  if (!owner)
    throw new AppError("UNAUTHENTICATED", { message: "This API token has no owner (its person was removed); create a new token" });
  if (!hasRole(owner.role, token.role.toLowerCase() as Lowercase<TRole>)) {
    throw new AppError("UNAUTHENTICATED", {
      message: `This API token's owner no longer holds the ${ROLE_LABEL[token.role]} role the token was given; it stays refused until they do`,
    });
  }
  // Recording every use would turn reads into writes; once a minute is enough to show activity.
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > 60_000) {
    await touchApiToken(token.id, now);
  }
  return {
    type: "token",
    id: token.id,
    name: `API token "${token.name}" of ${owner.name}`,
    email: null,
    role: token.role,
    ownerId: owner.id,
  };
}
