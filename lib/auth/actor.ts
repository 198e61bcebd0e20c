import "server-only";
import { cookies } from "next/headers";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { sha256Hex } from "@/lib/crypto/secrets";
import { type TRole } from "@/lib/auth/roles";
import { SESSION_COOKIE, openSession } from "@/lib/auth/session-token";

/** Who is calling: a signed-in person (session cookie) or an automation (API token). */
export type Actor = {
  type: "user" | "token";
  /** User id, or API token id. */
  id: string;
  name: string;
  email: string | null;
  /** Null for a person who signed in without any app role (sees the "no access" page). */
  role: TRole | null;
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

async function actorFromSessionCookie(value: string | undefined): Promise<Actor | null> {
  const claims = await openSession(value, env().SESSION_SECRET);
  if (!claims) return null;
  return { type: "user", id: claims.uid, name: claims.name, email: claims.email, role: claims.role };
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
  const token = await db().apiToken.findUnique({ where: { tokenHash: sha256Hex(match[1]) } });
  const now = new Date();
  if (!token || token.revokedAt || token.expiresAt <= now) return null;
  // Recording every use would turn reads into writes; once a minute is enough to show activity.
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > 60_000) {
    await db().apiToken.update({ where: { id: token.id }, data: { lastUsedAt: now } });
  }
  return { type: "token", id: token.id, name: `API token "${token.name}"`, email: null, role: token.role };
}
