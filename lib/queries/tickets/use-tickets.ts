"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useInvalidatingMutation } from "@/lib/queries/mutation";
import { type TTicketDraftRequest } from "@/lib/schemas/tickets";
import { createTickets, fetchChangeTemplates, fetchDraft, fetchTicket, fetchTickets, linkFindings, unlinkFinding } from "./api";
import { ticketKeys } from "./keys";

export function useTickets(filters: Record<string, unknown>) {
  return useQuery({ queryKey: ticketKeys.list(filters), queryFn: () => fetchTickets(filters), placeholderData: keepPreviousData });
}

export function useTicket(id: string) {
  return useQuery({ queryKey: ticketKeys.detail(id), queryFn: () => fetchTicket(id) });
}

/** Standard change templates of a connection's instance (the ticket dialog's picker); null connection = idle. */
export function useChangeTemplates(connectionId: string | null) {
  return useQuery({
    queryKey: ticketKeys.changeTemplates(connectionId ?? ""),
    queryFn: () => fetchChangeTemplates(connectionId!),
    enabled: connectionId !== null,
    staleTime: 5 * 60_000,
  });
}

export function useTicketDraft(input: TTicketDraftRequest | null) {
  return useQuery({
    queryKey: ticketKeys.draft({ ...input }),
    queryFn: () => fetchDraft(input!),
    enabled: input !== null && input.findingIds.length > 0,
    staleTime: 0,
    gcTime: 0,
  });
}

/**
 * Ticket changes also change the views that show tickets next to findings (recommendations, findings,
 * compliance): after each of the mutations below, everything is refetched, not only the ticket queries.
 */
export function useCreateTickets() {
  return useInvalidatingMutation(createTickets);
}

export function useLinkFindings() {
  return useInvalidatingMutation(({ ref, input }: { ref: string; input: Parameters<typeof linkFindings>[1] }) => linkFindings(ref, input));
}

export function useUnlinkFinding() {
  return useInvalidatingMutation(({ ticketId, findingId }: { ticketId: string; findingId: string }) => unlinkFinding(ticketId, findingId));
}
