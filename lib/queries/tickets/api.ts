import { apiFetch, toSearchParams } from "@/lib/queries/fetcher";
import { type TTicketRequestDto } from "@/lib/schemas/ticket-requests";
import { type TPage } from "@/lib/schemas/common";
import {
  type TChangeTemplates,
  type TCreateTicketInput,
  type TCreateTicketsResult,
  type TLinkOutcome,
  type TTicketDetail,
  type TTicketDraft,
  type TTicketDraftRequest,
  type TTicketDto,
} from "@/lib/schemas/tickets";

export const fetchTickets = (filters: Record<string, unknown>) => apiFetch<TPage<TTicketDto>>(`/api/tickets${toSearchParams(filters)}`);
export const fetchTicket = (id: string) => apiFetch<TTicketDetail>(`/api/tickets/${id}`);
export const fetchChangeTemplates = (connectionId: string) =>
  apiFetch<TChangeTemplates>(`/api/connections/${connectionId}/change-templates`);
export const fetchDraft = (input: TTicketDraftRequest) => apiFetch<TTicketDraft>("/api/tickets/draft", { method: "POST", json: input });
export const createTickets = (input: TCreateTicketInput) => apiFetch<TCreateTicketsResult>("/api/tickets", { method: "POST", json: input });
export const linkFindings = (ref: string, input: { findingIds: string[]; connectionId?: string; replace?: boolean }) =>
  apiFetch<TLinkOutcome>(`/api/tickets/${encodeURIComponent(ref)}/links`, { method: "POST", json: input });
export const unlinkFinding = (ticketId: string, findingId: string) =>
  apiFetch<void>(`/api/tickets/${ticketId}/links/${findingId}`, { method: "DELETE" });
export const fetchTicketRequest = (id: string) => apiFetch<TTicketRequestDto>(`/api/ticket-requests/${id}`);
