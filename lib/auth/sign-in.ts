import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { audit } from "@/lib/audit/audit";
import { type SignedInIdentity } from "@/lib/auth/entra";
import { sealSession } from "@/lib/auth/session-token";
import { createSessionRecord, pruneSessionRecords, revokeAllSessionRecords } from "@/lib/auth/sessions-sql";
import { clientIpFrom } from "@/lib/net/client-ip";

/**
 * Records the person who just signed in, opens a server-side session and seals its cookie. When Entra
 * ID now grants another role than at the previous sign-in, every older session of the person ends.
 */
export async function startSession(identity: SignedInIdentity, meta: { requestId: string; ip: string | null }) {
  const now = new Date();
  const previous = await db().user.findUnique({
    where: { tenantId_oid: { tenantId: identity.tid, oid: identity.oid } },
    select: { role: true },
  });
  const user = await db().user.upsert({
    where: { tenantId_oid: { tenantId: identity.tid, oid: identity.oid } },
    create: {
      oid: identity.oid,
      tenantId: identity.tid,
      name: identity.name,
      email: identity.email,
      role: identity.role,
      lastLoginAt: now,
    },
    update: { name: identity.name, email: identity.email, role: identity.role, lastLoginAt: now },
  });
  const roleChanged = previous !== null && previous.role !== identity.role;
  const ended = roleChanged ? await revokeAllSessionRecords(user.id) : 0;
  await audit({
    actor: { type: "user", id: user.id, name: user.name, email: user.email, role: user.role },
    action: identity.role ? "auth.sign_in" : "auth.sign_in_without_role",
    targetType: "user",
    targetId: user.id,
    ...(roleChanged ? { before: { role: previous.role } } : {}),
    after: { role: identity.role, roles: identity.roles, ...(roleChanged ? { endedSessions: ended } : {}) },
    requestId: meta.requestId,
    ip: meta.ip,
  });
  await pruneSessionRecords();
  return { user, sealed: await openSession(user, identity, now) };
}

/** A new session record and its cookie for a person (also used by tests to sign someone in). */
export async function openSession(
  user: { id: string; name: string; email: string | null },
  identity: { oid: string; tid: string },
  now = new Date(),
) {
  const e = env();
  const authTime = Math.floor(now.getTime() / 1000);
  const jti = crypto.randomUUID();
  const ttl = e.SESSION_TTL_MINUTES * 60;
  const sid = await createSessionRecord(user.id, jti, new Date((authTime + ttl) * 1000));
  return sealSession(
    { uid: user.id, sid, oid: identity.oid, tid: identity.tid, name: user.name, email: user.email, authTime },
    e.SESSION_SECRET,
    ttl,
    authTime,
    jti,
  );
}

/** The client's address for the audit log: the peer, or X-Forwarded-For only through TRUSTED_PROXIES. */
export function clientIp(req: Request): string | null {
  return clientIpFrom(req.headers, env().TRUSTED_PROXIES);
}
