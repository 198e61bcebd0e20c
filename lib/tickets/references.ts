import "server-only";

// Assignment group, assignee and caller of a new ticket, resolved to ServiceNow sys_ids before anything
// is created. ServiceNow stores an unknown reference without complaint (a broken reference), so an
// unknown group or person is refused here, naming the field; so is a display name several people (or
// groups) share, rather than guessing which one was meant.
import { type DirectoryMatch, findGroup, findUser } from "@/lib/connections/directory";
import { type ServiceNowConnection } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import { type TDirectoryGroup, type TDirectoryUser } from "@/lib/schemas/connections";
import { type TCreateTicketType } from "@/lib/schemas/tickets";
import { type ServiceNowClient } from "@/lib/servicenow";

export type ResolvedReferences = {
  assignmentGroup: TDirectoryGroup | null;
  assignedTo: TDirectoryUser | null;
  caller: TDirectoryUser | null;
};

function refused(path: string, message: string): AppError {
  return new AppError("VALIDATION", { message, details: { errors: [{ path: `body.${path}`, message }] } });
}

const USER_KEYS = "user name, e-mail, display name or sys_id";

/** Why a requested user reference was refused (null when it resolved). */
export function userRefusal(what: string, ref: string, match: DirectoryMatch<TDirectoryUser>): string | null {
  if (match.kind === "found") return null;
  if (match.kind === "ambiguous")
    return `${what} "${ref}" is ambiguous: ${match.count} active ServiceNow users match it; choose one by user name or e-mail`;
  return `Unknown ${what.toLowerCase()} "${ref}": no active ServiceNow user with that ${USER_KEYS}`;
}

/** Why a requested group reference was refused (null when it resolved). */
export function groupRefusal(ref: string, match: DirectoryMatch<TDirectoryGroup>): string | null {
  if (match.kind === "found") return null;
  if (match.kind === "ambiguous")
    return `Assignment group "${ref}" is ambiguous: ${match.count} active ServiceNow groups have that name; choose one from the list`;
  return `Unknown assignment group "${ref}": no such active group in ServiceNow`;
}

const itemOf = <T>(m: DirectoryMatch<T> | null): T | null => (m?.kind === "found" ? m.item : null);

export async function resolveReferences(
  client: ServiceNowClient,
  connection: Pick<ServiceNowConnection, "id" | "defaultAssignmentGroup" | "defaultCallerId">,
  type: TCreateTicketType,
  requested: { assignmentGroup?: string | null; assignedTo?: string | null; callerId?: string | null },
): Promise<ResolvedReferences> {
  const groupRef = requested.assignmentGroup ?? connection.defaultAssignmentGroup;
  const callerRef = type === "incident" ? (requested.callerId ?? connection.defaultCallerId) : null;
  const [group, assignee, caller] = await Promise.all([
    groupRef ? findGroup(client, connection.id, groupRef) : null,
    requested.assignedTo ? findUser(client, connection.id, requested.assignedTo) : null,
    callerRef ? findUser(client, connection.id, callerRef) : null,
  ]);
  if (groupRef && group && group.kind !== "found") {
    throw refused(
      "assignmentGroup",
      requested.assignmentGroup
        ? groupRefusal(groupRef, group)!
        : `The connection's default assignment group "${groupRef}" ${group.kind === "ambiguous" ? "names several groups" : "does not exist"} in ServiceNow; choose a group or ask an admin to fix the connection`,
    );
  }
  if (requested.assignedTo && assignee && assignee.kind !== "found")
    throw refused("assignedTo", userRefusal("Assignee", requested.assignedTo, assignee)!);
  if (callerRef && caller && caller.kind !== "found") {
    throw refused(
      "callerId",
      requested.callerId
        ? userRefusal("Caller", callerRef, caller)!
        : `The connection's default caller "${callerRef}" ${caller.kind === "ambiguous" ? "names several users" : "does not exist"} in ServiceNow`,
    );
  }
  return { assignmentGroup: itemOf(group), assignedTo: itemOf(assignee), caller: itemOf(caller) };
}
