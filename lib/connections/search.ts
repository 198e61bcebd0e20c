import "server-only";
import { type Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { AppError } from "@/lib/http/errors";
import { type TDirectoryGroup, type TDirectoryPage, type TDirectoryQuery, type TDirectoryUser } from "@/lib/schemas/connections";
import { assertRole } from "@/lib/auth/authorize";
import { serviceNowClientFor, WITH_CREDENTIALS } from "./client";
import { searchGroups, searchUsers } from "./directory";

/** Pickers (ticket form, rules, connection defaults): users or groups of a connection's instance matching the text. */
export async function searchDirectory(
  actor: Actor,
  connectionId: string,
  kind: "users" | "groups",
  query: TDirectoryQuery,
): Promise<TDirectoryPage<TDirectoryUser | TDirectoryGroup>> {
  assertRole(actor, "analyst", "Searching ServiceNow");
  const connection = await db().serviceNowConnection.findUnique({ where: { id: connectionId }, omit: WITH_CREDENTIALS });
  if (!connection) throw new AppError("NOT_FOUND", { message: "No such ServiceNow connection" });
  const client = await serviceNowClientFor(connection);
  return kind === "users" ? searchUsers(client, connection.id, query) : searchGroups(client, connection.id, query);
}
