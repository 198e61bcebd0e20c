import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { audit } from "@/lib/audit/audit";
import { type SignedInIdentity } from "@/lib/auth/entra";
import { sealSession } from "@/lib/auth/session-token";

/** Records the person who just signed in and seals their session. */
export async function startSession(identity: SignedInIdentity, meta: { requestId: string; ip: string | null }) {
  const now = new Date();
  const user = await db().user.upsert({
    where: { tenantId_oid: { tenantId: identity.tid, oid: identity.oid } },
    create: { oid: identity.oid, tenantId: identity.tid, name: identity.name, email: identity.email, role: identity.role, lastLoginAt: now },
    update: { name: identity.name, email: identity.email, role: identity.role, lastLoginAt: now },
  });
  await audit({
    actor: { type: "user", id: user.id, name: user.name, email: user.email, role: user.role },
    action: identity.role ? "auth.sign_in" : "auth.sign_in_without_role",
    targetType: "user",
    targetId: user.id,
    after: { role: identity.role, roles: identity.roles },
    requestId: meta.requestId,
    ip: meta.ip,
  });
  const e = env();
  const sealed = await sealSession(
    { uid: user.id, oid: identity.oid, tid: identity.tid, name: user.name, email: user.email, role: identity.role, authTime: Math.floor(now.getTime() / 1000) },
    e.SESSION_SECRET,
    e.SESSION_TTL_MINUTES * 60,
  );
  return { user, sealed };
}

export function clientIp(req: Request): string | null {
  const forwarded = req.headers.get("x-forwarded-for");
  return forwarded ? forwarded.split(",")[0].trim().slice(0, 64) : null;
}
