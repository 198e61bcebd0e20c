import { apiFetch } from "@/lib/queries/fetcher";
import { type TAddedJournalEntry, type TAddJournalEntry, type TTicketConversation } from "@/lib/schemas/ticket-conversation";

export const fetchConversation = (ticketId: string) => apiFetch<TTicketConversation>(`/api/tickets/${ticketId}/journal`);
export const addJournalEntry = (ticketId: string, input: TAddJournalEntry) =>
  apiFetch<TAddedJournalEntry>(`/api/tickets/${ticketId}/journal`, { method: "POST", json: input });
