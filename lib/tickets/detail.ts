import "server-only";

// One ticket with every finding it covers or covered (active links first) with their Defender
// governance state, and its history: audit entries (creation, links, unlinks) and sync events.
import { type Actor } from "@/lib/auth/actor";
import { assertRole } from "@/lib/auth/authorize";
import { db } from "@/lib/db";
import { governanceAssignmentKey } from "@/lib/governance/keys";
import { AppError } from "@/lib/http/errors";
import { type TTicketDetail, type TTicketFinding, type TTicketHistoryEntry } from "@/lib/schemas/tickets";
import { TICKET_ROW_INCLUDE, toTicketDto } from "./dto";

const HISTORY_LIMIT = 200;

const AUDIT_TEXT: Record<string, string> = {
  "ticket.create": "Ticket created",
  "link.create": "Findings linked",
  "link.delete": "Finding unlinked",
  "ticket.journal": "Work note or comment added",
};

export async function getTicket(actor: Actor, id: string): Promise<TTicketDetail> {
  assertRole(actor, "manager", "Reading tickets");
  const ticket = await db().ticket.findUnique({ where: { id }, include: TICKET_ROW_INCLUDE });
  if (!ticket) throw new AppError("NOT_FOUND", { message: "No such ticket" });

  const [links, audits, events, creation] = await Promise.all([
    db().ticketLink.findMany({
      where: { ticketId: id },
      include: {
        finding: {
          include: {
            recommendation: { select: { displayName: true } },
            governance: { where: { isManaged: true } },
          },
        },
      },
      orderBy: { linkedAt: "asc" },
    }),
    db().auditLog.findMany({ where: { targetType: "ticket", targetId: id }, orderBy: { id: "desc" }, take: HISTORY_LIMIT }),
    db().syncEvent.findMany({ where: { ticketId: id }, orderBy: { id: "desc" }, take: HISTORY_LIMIT }),
    // Who created it, by name (a person, an API token's owner, a rule), from its creation's audit entry.
    db().auditLog.findFirst({
      where: { targetType: "ticket", targetId: id, action: "ticket.create" },
      orderBy: { id: "asc" },
      select: { actorName: true },
    }),
  ]);

  const findings: TTicketFinding[] = links
    .map((l) => {
      const f = l.finding;
      const g = f.governance.find((a) => a.assignmentKey === governanceAssignmentKey(f.armId)) ?? null;
      return {
        findingId: f.id,
        resourceId: f.resourceId,
        resourceName: f.resourceName,
        resourceType: f.resourceType,
        resourceGroup: f.resourceGroup,
        subscriptionId: f.subscriptionId,
        recommendationKey: f.recommendationKey,
        recommendationName: f.recommendation.displayName,
        severity: f.severity,
        status: f.status,
        portalUrl: f.portalUrl,
        isActive: l.activeConnectionId !== null,
        linkedAt: l.linkedAt.toISOString(),
        unlinkedAt: l.unlinkedAt?.toISOString() ?? null,
        unlinkReason: l.unlinkReason,
        governance: g
          ? {
              azureState: g.azureState,
              azureError: g.azureError,
              owner: g.owner,
              remediationDueDate: g.remediationDueDate?.toISOString() ?? null,
              ticketNumber: g.ticketNumber,
              ticketLink: g.ticketLink,
              ticketStatus: g.ticketStatus,
            }
          : null,
      };
    })
    .sort((a, b) => Number(b.isActive) - Number(a.isActive));

  const history: TTicketHistoryEntry[] = [
    ...audits.map((a) => ({
      at: a.at.toISOString(),
      source: "audit" as const,
      action: a.action,
      actorName: a.actorName,
      message: AUDIT_TEXT[a.action] ?? a.action,
      before: a.before,
      after: a.after,
    })),
    ...events.map((e) => ({
      at: e.at.toISOString(),
      source: "sync" as const,
      action: e.action,
      actorName: null,
      message: e.message || e.action,
      before: e.before,
      after: e.after,
    })),
  ]
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, HISTORY_LIMIT);

  return { ...toTicketDto(ticket), createdByName: creation?.actorName ?? null, findings, history };
}
