import "server-only";
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import { type Actor, API_TOKEN_PREFIX } from "@/lib/auth/actor";
import { audit } from "@/lib/audit/audit";
import { sha256Hex } from "@/lib/crypto/secrets";
import { AppError } from "@/lib/http/errors";
import { type TApiTokenDto } from "@/lib/schemas/tokens";
import { type TPage } from "@/lib/schemas/common";
import { type Role } from "@/lib/generated/prisma/client";
import { hasRole } from "@/lib/auth/roles";
import { assertRole, type Caller } from "@/lib/auth/authorize";

// API tokens for automation: shown once at creation, stored as a SHA-256 hash, revocable, audited.
// Every token acts for a person (its owner): a person creating one owns it, a token minted by a token
// belongs to that token's owner (and records which token minted it), the command line names the owner.
// At each use the token's role must not exceed the owner's current role (lib/auth/actor.ts).

type TokenRow = {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  createdBy: { name: string } | null;
};

function toDto(t: TokenRow, now = new Date()): TApiTokenDto {
  return {
    id: t.id,
    name: t.name,
    role: t.role,
    prefix: t.prefix,
    createdAt: t.createdAt.toISOString(),
    createdBy: t.createdBy?.name ?? null,
    expiresAt: t.expiresAt.toISOString(),
    revokedAt: t.revokedAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    status: t.revokedAt ? "revoked" : t.expiresAt <= now ? "expired" : "active",
  };
}

export async function createApiToken(
  actor: Caller,
  input: { name: string; role: Role; expiresInDays: number },
  meta: {
    requestId?: string;
    ip?: string | null;
    /** Required for system actors (command line): the person the token acts for. */ ownerId?: string;
  } = {},
): Promise<{ token: string; item: TApiTokenDto }> {
  assertRole(actor, "admin", "Managing API tokens");
  const ownerId = actor.type === "user" ? actor.id : actor.type === "token" ? (actor as Actor).ownerId : meta.ownerId;
  if (!ownerId) throw new AppError("VALIDATION", { message: "An API token must belong to a person: name its owner" });
  const owner = await db().user.findUnique({ where: { id: ownerId }, select: { id: true, name: true, role: true } });
  if (!owner) throw new AppError("VALIDATION", { message: "The token's owner is not a known person (they must have signed in once)" });
  if (!hasRole(owner.role, input.role.toLowerCase() as "admin" | "analyst" | "manager")) {
    throw new AppError("FORBIDDEN", {
      message: `The token's owner does not hold the ${input.role} role; a token cannot have more rights than its owner`,
    });
  }
  const createdByTokenId = actor.type === "token" ? actor.id : null;
  const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const expiresAt = new Date(Date.now() + input.expiresInDays * 86_400_000);
  const created = await db().$transaction(async (tx) => {
    const row = await tx.apiToken.create({
      data: {
        name: input.name,
        role: input.role,
        tokenHash: sha256Hex(token),
        prefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
        createdById: owner.id,
        createdByTokenId,
        expiresAt,
      },
      include: { createdBy: { select: { name: true } } },
    });
    await audit(
      {
        actor,
        action: "token.create",
        targetType: "api_token",
        targetId: row.id,
        // The chain: the person the token acts for, and the token that minted it (if any).
        after: {
          name: row.name,
          role: row.role,
          expiresAt,
          owner: { id: owner.id, name: owner.name },
          ...(createdByTokenId ? { mintedByToken: createdByTokenId } : {}),
        },
        requestId: meta.requestId,
        ip: meta.ip,
      },
      tx,
    );
    return row;
  });
  return { token, item: toDto(created) };
}

export async function listApiTokens(actor: Actor, page: { page: number; pageSize: number }): Promise<TPage<TApiTokenDto>> {
  assertRole(actor, "admin", "Managing API tokens");
  const [rows, total] = await Promise.all([
    db().apiToken.findMany({
      orderBy: { createdAt: "desc" },
      skip: (page.page - 1) * page.pageSize,
      take: page.pageSize,
      include: { createdBy: { select: { name: true } } },
    }),
    db().apiToken.count(),
  ]);
  return { items: rows.map((r) => toDto(r)), total, ...page };
}

export async function revokeApiToken(actor: Actor, id: string, meta: { requestId?: string } = {}): Promise<TApiTokenDto> {
  assertRole(actor, "admin", "Managing API tokens");
  return db().$transaction(async (tx) => {
    const existing = await tx.apiToken.findUnique({ where: { id } });
    if (!existing) throw new AppError("NOT_FOUND", { message: "API token not found" });
    const row = existing.revokedAt
      ? await tx.apiToken.findUniqueOrThrow({ where: { id }, include: { createdBy: { select: { name: true } } } })
      : await tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() }, include: { createdBy: { select: { name: true } } } });
    if (!existing.revokedAt) {
      await audit(
        {
          actor,
          action: "token.revoke",
          targetType: "api_token",
          targetId: id,
          before: { revokedAt: null },
          after: { revokedAt: row.revokedAt },
          requestId: meta.requestId,
        },
        tx,
      );
    }
    return toDto(row);
  });
}
