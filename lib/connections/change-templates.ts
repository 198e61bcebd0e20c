import "server-only";

// Standard change templates of a connection's instance, for the ticket dialog's picker (read through
// the Change Management API; an instance without it has none, and says so).

import { db } from "@/lib/db";
import { AppError } from "@/lib/http/errors";
import { type TChangeTemplates } from "@/lib/schemas/tickets";
import { isChangeApiAbsent, listStandardTemplates } from "@/lib/servicenow";
import { serviceNowClientFor, WITH_CREDENTIALS } from "./client";
import { assertRole, type Caller } from "@/lib/auth/authorize";

export async function changeTemplates(actor: Caller, connectionId: string): Promise<TChangeTemplates> {
  assertRole(actor, "analyst", "Listing standard change templates");
  const connection = await db().serviceNowConnection.findUnique({ where: { id: connectionId }, omit: WITH_CREDENTIALS });
  if (!connection) throw new AppError("NOT_FOUND", { message: "No such ServiceNow connection" });
  if (connection.deletedAt) throw new AppError("CONFLICT", { message: "This ServiceNow connection is archived" });
  const client = await serviceNowClientFor(connection);
  try {
    return { isChangeApiInstalled: true, items: await listStandardTemplates(client) };
  } catch (error) {
    if (isChangeApiAbsent(error)) return { isChangeApiInstalled: false, items: [] };
    throw error;
  }
}
