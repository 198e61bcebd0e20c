import "server-only";
import { type Ticket } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import { type TTicketRef } from "@/lib/schemas/tickets";

export function ticketRef(t: Pick<Ticket, "id" | "number" | "url" | "state">): TTicketRef {
  return { id: t.id, number: t.number, url: t.url, state: t.state };
}

/** 409 naming the findings that already have another active ticket on the connection, and which. */
export function conflictError(conflicts: Array<{ findingId: string; ticket: Pick<Ticket, "id" | "number" | "url" | "state"> }>): AppError {
  const numbers = [...new Set(conflicts.map((c) => c.ticket.number))];
  const n = conflicts.length;
  return new AppError("CONFLICT", {
    message: `${n === 1 ? "A selected finding already has" : `${n} selected findings already have`} an active ticket on this connection (${numbers.slice(0, 5).join(", ")}${numbers.length > 5 ? ", …" : ""}). Unlink it first, or link the findings to that ticket.`,
    details: { conflicts: conflicts.map((c) => ({ findingId: c.findingId, ticket: ticketRef(c.ticket) })) },
  });
}
