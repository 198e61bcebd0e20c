import "server-only";

// Before any ServiceNow call: which groups of findings already have exactly the ticket this request
// would create (a repeat: answer it again), which findings have another active ticket on the connection
// (a conflict), and which groups need a new ticket. Checked again under the lock in createOne().
import { db } from "@/lib/db";
import { type Ticket } from "@/lib/generated/prisma/client";
import { type TCreateTicketType, ticketModuleOf } from "@/lib/schemas/tickets";
import { correlationBase, generationOf } from "./correlation";
import { type TicketFinding } from "./findings";

export type Classified = {
  repeats: Array<{ findings: TicketFinding[]; ticket: Ticket }>;
  fresh: TicketFinding[][];
  conflicts: Array<{ findingId: string; ticket: Ticket }>;
};

export function groupFindings(findings: TicketFinding[], grouping: "single" | "per-finding"): TicketFinding[][] {
  return grouping === "single" ? [findings] : findings.map((f) => [f]);
}

export async function classifyGroups(
  connection: { id: string; correlationPrefix: string },
  type: TCreateTicketType,
  groups: TicketFinding[][],
): Promise<Classified> {
  const ids = groups.flat().map((f) => f.id);
  const links = await db().ticketLink.findMany({
    where: { findingId: { in: ids }, activeConnectionId: connection.id, module: ticketModuleOf(type) },
    include: { ticket: true },
  });
  const byFinding = new Map(links.map((l) => [l.findingId, l.ticket]));
  const result: Classified = { repeats: [], fresh: [], conflicts: [] };
  for (const group of groups) {
    const tickets = group.map((f) => byFinding.get(f.id));
    if (tickets.every((t) => t === undefined)) {
      result.fresh.push(group);
      continue;
    }
    const first = tickets[0];
    const base = correlationBase(
      connection.correlationPrefix,
      type,
      group.map((f) => f.armId),
    );
    const isRepeat = first !== undefined && tickets.every((t) => t?.id === first.id) && generationOf(first.correlationId, base) !== null;
    if (isRepeat) result.repeats.push({ findings: group, ticket: first });
    else for (const f of group) if (byFinding.has(f.id)) result.conflicts.push({ findingId: f.id, ticket: byFinding.get(f.id)! });
  }
  return result;
}
