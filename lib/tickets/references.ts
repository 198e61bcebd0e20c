import "server-only";

// Assignment group, assignee and caller of a new ticket, resolved to ServiceNow sys_ids before anything
// is created. ServiceNow stores an unknown reference without complaint (a broken reference), so an
// unknown group or person is refused here, naming the field.
import { findGroup, findUser } from "@/lib/connections/directory";
import { type ServiceNowConnection } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import { type TDirectoryGroup, type TDirectoryUser } from "@/lib/schemas/connections";
import { type TCreateTicketType } from "@/lib/schemas/tickets";
import { type ServiceNowClient } from "@/lib/servicenow";

export type ResolvedReferences = { assignmentGroup: TDirectoryGroup | null; assignedTo: TDirectoryUser | null; caller: TDirectoryUser | null };

function unknown(path: string, message: string): AppError {
  return new AppError("VALIDATION", { message, details: { errors: [{ path: `body.${path}`, message }] } });
}

export async function resolveReferences(
  client: ServiceNowClient,
  connection: Pick<ServiceNowConnection, "id" | "defaultAssignmentGroup" | "defaultCallerId">,
  type: TCreateTicketType,
  requested: { assignmentGroup?: string | null; assignedTo?: string | null; callerId?: string | null },
): Promise<ResolvedReferences> {
  const groupRef = requested.assignmentGroup ?? connection.defaultAssignmentGroup;
  const callerRef = type === "incident" ? (requested.callerId ?? connection.defaultCallerId) : null;
  const [assignmentGroup, assignedTo, caller] = await Promise.all([
    groupRef ? findGroup(client, connection.id, groupRef) : null,
    requested.assignedTo ? findUser(client, connection.id, requested.assignedTo) : null,
    callerRef ? findUser(client, connection.id, callerRef) : null,
  ]);
  if (groupRef && !assignmentGroup) {
    throw unknown(
      "assignmentGroup",
      requested.assignmentGroup
        ? `Unknown assignment group "${groupRef}": no such group in ServiceNow`
        : `The connection's default assignment group "${groupRef}" does not exist in ServiceNow; choose a group or ask an admin to fix the connection`,
    );
  }
  if (requested.assignedTo && !assignedTo) throw unknown("assignedTo", `Unknown assignee "${requested.assignedTo}": no active ServiceNow user with that user name, e-mail or sys_id`);
  if (callerRef && !caller) {
    throw unknown(
      "callerId",
      requested.callerId ? `Unknown caller "${callerRef}": no active ServiceNow user with that user name, e-mail or sys_id` : `The connection's default caller "${callerRef}" does not exist in ServiceNow`,
    );
  }
  return { assignmentGroup, assignedTo, caller };
}
