import "server-only";

// Saved views: owned by the person who saved them (API tokens are not people: they read shared views
// only and cannot save). A private view is invisible to others (404); a shared one is readable by every
// signed-in user with access to its page, but only its owner changes or deletes it (403).
import { type Actor } from "@/lib/auth/actor";
import { audit } from "@/lib/audit/audit";
import { assertRole } from "@/lib/auth/authorize";
import { db } from "@/lib/db";
import { type SavedView } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import {
  filtersProblem,
  type TSavedView,
  type TSavedViewList,
  type TSavedViewPage,
  type TUpdateSavedView,
  type ZCreateSavedView,
  ZSavedViewFilters,
} from "@/lib/schemas/saved-views";
import { type z } from "zod";

const MAX_VIEWS_PER_OWNER = 200;

function userId(actor: Actor): string | null {
  return actor.type === "user" ? actor.id : null;
}

function requireUser(actor: Actor, what: string): string {
  const id = userId(actor);
  if (!id) throw new AppError("FORBIDDEN", { message: `${what} needs a signed-in person; API tokens can only read shared views` });
  return id;
}

async function toDto(rows: SavedView[], me: string | null): Promise<TSavedView[]> {
  const owners = await db().user.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.ownerId))] } },
    select: { id: true, name: true },
  });
  const names = new Map(owners.map((o) => [o.id, o.name]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    page: r.page as TSavedViewPage,
    // Stored filters were validated on write; a row that no longer parses shows no filters rather than failing the list.
    filters: ZSavedViewFilters.safeParse(r.filters).data ?? {},
    isShared: r.isShared,
    isMine: r.ownerId === me,
    ownerName: names.get(r.ownerId) ?? null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }));
}

function visibleTo(me: string | null) {
  return me ? { OR: [{ ownerId: me }, { isShared: true }] } : { isShared: true };
}

export async function listSavedViews(actor: Actor, query: { page?: TSavedViewPage }): Promise<TSavedViewList> {
  assertRole(actor, "manager", "Reading saved views");
  const me = userId(actor);
  const rows = await db().savedView.findMany({
    where: { ...(query.page ? { page: query.page } : {}), ...visibleTo(me) },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: 500,
  });
  const items = await toDto(rows, me);
  // Mine first, then the shared views of others.
  return { items: [...items.filter((v) => v.isMine), ...items.filter((v) => !v.isMine)] };
}

async function visibleView(actor: Actor, id: string): Promise<SavedView> {
  const me = userId(actor);
  const row = await db().savedView.findFirst({ where: { id, ...visibleTo(me) } });
  if (!row) throw new AppError("NOT_FOUND", { message: "No such saved view (it may be private or deleted)" });
  return row;
}

export async function getSavedView(actor: Actor, id: string): Promise<TSavedView> {
  assertRole(actor, "manager", "Reading saved views");
  return (await toDto([await visibleView(actor, id)], userId(actor)))[0]!;
}

async function ownView(actor: Actor, id: string, what: string): Promise<SavedView> {
  // Unknown or invisible first (404), then whether the caller may change it (403).
  const row = await visibleView(actor, id);
  const me = requireUser(actor, what);
  if (row.ownerId !== me) throw new AppError("FORBIDDEN", { message: `Only the person who saved this view can change or delete it` });
  return row;
}

const nameTaken = (name: string) => new AppError("CONFLICT", { message: `You already have a view named '${name}' on this page` });

export async function createSavedView(
  actor: Actor,
  input: z.output<typeof ZCreateSavedView>,
  opts: { requestId?: string } = {},
): Promise<TSavedView> {
  assertRole(actor, "manager", "Saving views");
  const me = requireUser(actor, "Saving a view");
  if ((await db().savedView.count({ where: { ownerId: me } })) >= MAX_VIEWS_PER_OWNER) {
    throw new AppError("CONFLICT", { message: `You have ${MAX_VIEWS_PER_OWNER} saved views; delete some before saving more` });
  }
  if (await db().savedView.findFirst({ where: { ownerId: me, page: input.page, name: input.name }, select: { id: true } }))
    throw nameTaken(input.name);
  const row = await db().savedView.create({
    data: { ownerId: me, name: input.name, page: input.page, filters: input.filters, isShared: input.isShared },
  });
  await auditView(actor, "create", row.id, opts.requestId, { after: { name: row.name, page: row.page, isShared: row.isShared } });
  return (await toDto([row], me))[0]!;
}

export async function updateSavedView(
  actor: Actor,
  id: string,
  input: TUpdateSavedView,
  opts: { requestId?: string } = {},
): Promise<TSavedView> {
  assertRole(actor, "manager", "Changing saved views");
  const row = await ownView(actor, id, "Changing a view");
  if (input.filters) {
    const problem = filtersProblem(row.page as TSavedViewPage, input.filters);
    if (problem) throw new AppError("VALIDATION", { message: `filters: ${problem}` });
  }
  if (
    input.name &&
    input.name !== row.name &&
    (await db().savedView.findFirst({ where: { ownerId: row.ownerId, page: row.page, name: input.name }, select: { id: true } }))
  ) {
    throw nameTaken(input.name);
  }
  const updated = await db().savedView.update({
    where: { id },
    data: {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.filters !== undefined ? { filters: input.filters } : {}),
      ...(input.isShared !== undefined ? { isShared: input.isShared } : {}),
    },
  });
  await auditView(actor, "update", id, opts.requestId, {
    before: { name: row.name, isShared: row.isShared },
    after: { name: updated.name, isShared: updated.isShared },
  });
  return (await toDto([updated], userId(actor)))[0]!;
}

export async function deleteSavedView(actor: Actor, id: string, opts: { requestId?: string } = {}): Promise<void> {
  assertRole(actor, "manager", "Deleting saved views");
  const row = await ownView(actor, id, "Deleting a view");
  await db().savedView.delete({ where: { id } });
  await auditView(actor, "delete", id, opts.requestId, { before: { name: row.name, page: row.page } });
}

/** The audit entry of a change to a saved view: what it was and what it became. */
async function auditView(
  actor: Actor,
  change: "create" | "update" | "delete",
  id: string,
  requestId: string | undefined,
  states: { before?: unknown; after?: unknown },
): Promise<void> {
  await audit({ actor, action: `saved_view.${change}`, targetType: "saved_view", targetId: id, ...states, requestId });
}
