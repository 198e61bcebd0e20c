"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type TAddJournalEntry, type TTicketConversation } from "@/lib/schemas/ticket-conversation";
import { ticketKeys } from "@/lib/queries/tickets/keys";
import { addJournalEntry, fetchConversation } from "./api";
import { conversationKeys } from "./keys";

export function useConversation(ticketId: string) {
  return useQuery({ queryKey: conversationKeys.detail(ticketId), queryFn: () => fetchConversation(ticketId) });
}

/** Adds a journal entry; the entry ServiceNow stored is shown at once (put first in the cached journal). */
export function useAddJournalEntry(ticketId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: TAddJournalEntry) => addJournalEntry(ticketId, input),
    onSuccess: ({ entry }) => {
      qc.setQueryData<TTicketConversation>(conversationKeys.detail(ticketId), (old) =>
        old ? { ...old, entries: [entry, ...old.entries.filter((e) => e.id !== entry.id)] } : old,
      );
      void qc.invalidateQueries({ queryKey: ticketKeys.detail(ticketId) });
    },
  });
}
