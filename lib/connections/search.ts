import "server-only";
import { type Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { AppError } from "@/lib/http/errors";
import { type TDirectoryGroup, type TDirectoryQuery, type TDirectoryUser } from "@/lib/schemas/connections";
import { assertRole } from "@/lib/auth/authorize";
import { serviceNowClientFor } from "./client";
import { searchGroups, searchUsers } from "./directory";

/** Pickers of the ticket form: users or groups of a connection's instance matching the text. */
export async function searchDirectory(actor: Actor, connectionId: string, kind: "users", query: TDirectoryQuery): Promise<{ items: TDirectoryUser[] }>;
export async function searchDirectory(actor: Actor, connectionId: string, kind: "groups", query: TDirectoryQuery): Promise<{ items: TDirectoryGroup[] }>;
export async function searchDirectory(actor: Actor, connectionId: string, kind: "users" | "groups", query: TDirectoryQuery): Promise<{ items: Array<TDirectoryUser | TDirectoryGroup> }> {
  assertRole(actor, "analyst", "Searching ServiceNow");
  const connection = await db().serviceNowConnection.findUnique({ where: { id: connectionId } });
  if (!connection) throw new AppError("NOT_FOUND", { message: "No such ServiceNow connection" });
  const client = await serviceNowClientFor(connection);
  const items = kind === "users" ? await searchUsers(client, query.q, query.limit) : await searchGroups(client, query.q, query.limit);
  return { items };
}
