// The ticket conversation: ServiceNow's description and journal (work notes, additional comments),
// the SLA PostureDesk computes from the ticket's due date, and the form that adds a journal entry.
import { z } from "zod";

export const JOURNAL_ELEMENTS = ["work_notes", "comments"] as const;
export const ZJournalElement = z.enum(JOURNAL_ELEMENTS);
export type TJournalElement = z.infer<typeof ZJournalElement>;

export const journalElementLabel = (element: TJournalElement) => (element === "work_notes" ? "Work note" : "Additional comment");

export const JOURNAL_TEXT_MAX = 4000;

export const ZAddJournalEntry = z
  .object({
    element: ZJournalElement,
    text: z.string().trim().min(1, "must not be empty").max(JOURNAL_TEXT_MAX, `must be at most ${JOURNAL_TEXT_MAX} characters`),
  })
  .strict();
export type TAddJournalEntry = z.infer<typeof ZAddJournalEntry>;

export const ZJournalEntry = z.object({
  id: z.string(),
  element: ZJournalElement,
  text: z.string(),
  createdAt: z.string().nullable(),
  /** ServiceNow user name of the author (the integration user for entries PostureDesk wrote). */
  createdBy: z.string(),
  createdByName: z.string().nullable(),
});
export type TJournalEntry = z.infer<typeof ZJournalEntry>;

export const ZTicketSla = z.object({
  /** Our own computation from the ticket's due date (ServiceNow task_sla is not read). */
  source: z.literal("due_date"),
  status: z.enum(["no_due_date", "on_track", "at_risk", "breached", "met", "missed"]),
  dueDate: z.string().nullable(),
  startedAt: z.string(),
  stoppedAt: z.string().nullable(),
  /** Share of the time between creation and the due date used so far (or at resolution); null without a due date. */
  elapsedPercent: z.number().nullable(),
});
export type TTicketSla = z.infer<typeof ZTicketSla>;

export const ZTicketConversation = z.object({
  ticketId: z.string(),
  description: z.string(),
  /** Newest first. */
  entries: z.array(ZJournalEntry),
  sla: ZTicketSla,
  /** False when the ticket's connection is archived: the journal is read-only then. */
  canAdd: z.boolean(),
});
export type TTicketConversation = z.infer<typeof ZTicketConversation>;

export const ZAddedJournalEntry = z.object({ entry: ZJournalEntry });
export type TAddedJournalEntry = z.infer<typeof ZAddedJournalEntry>;
