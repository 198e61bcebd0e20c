import { z } from "zod";
import { TICKET_STATES, TICKET_TABLES } from "@/lib/schemas/tickets";

// Ticket requests: a ticket creation persisted before ServiceNow is called, retried by a job when
// ServiceNow did not confirm it (POST /api/tickets answers 202 with them under `pending`).

export const TICKET_REQUEST_STATUSES = ["pending", "created", "failed"] as const;

export const ZTicketRequestDto = z.object({
  id: z.string().uuid(),
  status: z.enum(TICKET_REQUEST_STATUSES),
  type: z.enum(TICKET_TABLES),
  findingIds: z.array(z.string().uuid()),
  /** Attempts made so far (the request's own included). */
  attempts: z.number().int(),
  /** When the next attempt is due (pending only). */
  nextAttemptAt: z.string().describe("ISO 8601 date-time").optional(),
  /** The ticket (created only). */
  ticket: z.object({ id: z.string().uuid(), number: z.string(), url: z.string(), state: z.enum(TICKET_STATES) }).optional(),
  /** The last failure: why it is still pending, or why it failed. */
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  createdAt: z.string().describe("ISO 8601 date-time"),
});
export type TTicketRequestDto = z.infer<typeof ZTicketRequestDto>;

/** A finding's latest ticket request that has not (yet) produced its ticket, for the "ticket pending" mark. */
export const ZFindingTicketRequest = z.object({
  id: z.string().uuid(),
  status: z.enum(["pending", "failed"]),
  type: z.enum(TICKET_TABLES),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  error: z.string().nullable(),
});
export type TFindingTicketRequest = z.infer<typeof ZFindingTicketRequest>;
