import "server-only";
import { pool } from "@/lib/db";
import { env } from "@/lib/env";
import { type TRole } from "@/lib/auth/roles";

// Server-side session records (UserSession). The cookie is an encrypted pointer to one row (sid) and
// names the one cookie id (jti) valid for it; the row decides: sign-out, "sign out everywhere", a role
// change at sign-in, rotation, the idle timeout and the absolute lifetime all end a cookie here. The
// person's role is read from the User row at every request, never from the cookie.

/** After a rotation the previous cookie still works this long (requests already in flight). */
export const ROTATION_GRACE_MS = 30_000;
/** lastSeenAt is written at most this often per session (reads would otherwise all become writes). */
const TOUCH_AFTER_MS = 60_000;

export type SessionUser = { userId: string; name: string; email: string | null; role: TRole | null };

export async function createSessionRecord(userId: string, jti: string, expiresAt: Date): Promise<string> {
  const { rows } = await pool().query<{ id: string }>(
    `INSERT INTO "UserSession" ("userId", "currentJti", "expiresAt") VALUES ($1::uuid, $2, $3) RETURNING "id"`,
    [userId, jti, expiresAt],
  );
  return rows[0].id;
}

/**
 * The person behind a session cookie, or null when the session was revoked, expired, idle longer than
 * SESSION_IDLE_MINUTES, or the cookie is an older one than the session's current cookie.
 */
export async function checkSessionRecord(sid: string, jti: string, now = new Date()): Promise<SessionUser | null> {
  if (!/^[0-9a-f-]{36}$/i.test(sid)) return null;
  const idleMs = env().SESSION_IDLE_MINUTES * 60_000;
  const { rows } = await pool().query<{
    currentJti: string;
    previousJti: string | null;
    rotatedAt: Date;
    lastSeenAt: Date;
    expiresAt: Date;
    revokedAt: Date | null;
    userId: string;
    name: string;
    email: string | null;
    role: TRole | null;
  }>(
    `SELECT s."currentJti", s."previousJti", s."rotatedAt", s."lastSeenAt", s."expiresAt", s."revokedAt", u."id" AS "userId", u."name", u."email", u."role"::text AS "role"
       FROM "UserSession" s JOIN "User" u ON u."id" = s."userId" WHERE s."id" = $1::uuid`,
    [sid],
  );
  const row = rows[0];
  if (!row || row.revokedAt || row.expiresAt <= now) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > idleMs) return null;
  const isCurrent = row.currentJti === jti;
  const isJustRotated = row.previousJti === jti && now.getTime() - row.rotatedAt.getTime() <= ROTATION_GRACE_MS;
  if (!isCurrent && !isJustRotated) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_AFTER_MS) {
    await pool().query(`UPDATE "UserSession" SET "lastSeenAt" = $2 WHERE "id" = $1::uuid AND "lastSeenAt" < $2`, [sid, now]);
  }
  return { userId: row.userId, name: row.name, email: row.email, role: row.role };
}

/** Makes newJti the session's only cookie (the old one keeps working for ROTATION_GRACE_MS). False if the session is gone. */
export async function rotateSessionRecord(sid: string, oldJti: string, newJti: string): Promise<boolean> {
  const { rowCount } = await pool().query(
    `UPDATE "UserSession" SET "previousJti" = "currentJti", "currentJti" = $3, "rotatedAt" = now(), "lastSeenAt" = now()
      WHERE "id" = $1::uuid AND "currentJti" = $2 AND "revokedAt" IS NULL AND "expiresAt" > now()`,
    [sid, oldJti, newJti],
  );
  return rowCount === 1;
}

export async function revokeSessionRecord(sid: string): Promise<void> {
  if (!/^[0-9a-f-]{36}$/i.test(sid)) return;
  await pool().query(`UPDATE "UserSession" SET "revokedAt" = now() WHERE "id" = $1::uuid AND "revokedAt" IS NULL`, [sid]);
}

/** Ends every open session of a person (optionally but one); returns how many were ended. */
export async function revokeAllSessionRecords(userId: string, exceptSid?: string): Promise<number> {
  const { rowCount } = await pool().query(
    `UPDATE "UserSession" SET "revokedAt" = now() WHERE "userId" = $1::uuid AND "revokedAt" IS NULL AND ($2::uuid IS NULL OR "id" <> $2::uuid)`,
    [userId, exceptSid ?? null],
  );
  return rowCount ?? 0;
}

/** Drops records that can no longer be used (a day after their end), so the table stays small. */
export async function pruneSessionRecords(): Promise<number> {
  const { rowCount } = await pool().query(
    `DELETE FROM "UserSession" WHERE "expiresAt" < now() - interval '1 day' OR "revokedAt" < now() - interval '1 day'`,
  );
  return rowCount ?? 0;
}
