"use client";
import { useQueries, useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useToast } from "@/components/ui/toast";
import { fetchTicketRequest } from "@/lib/queries/tickets/api";
import { ticketKeys } from "@/lib/queries/tickets/keys";
import { type TPendingTicket, ticketTypeLabel } from "@/lib/schemas/tickets";

// Tickets ServiceNow did not confirm at once (POST /api/tickets answered 202) are followed while the
// app is open: each ticket request is polled until it is created or failed, then a toast says so and
// every view is refetched, so the findings show the ticket without a reload. Whatever happens here, the
// outcome is also in the sync history and on the findings themselves.

const POLL_MS = 2000;

type Api = { track: (pending: TPendingTicket[]) => void };
const PendingTicketsContext = createContext<Api | null>(null);

export function PendingTicketsProvider({ children }: { children: ReactNode }) {
  const [tracked, setTracked] = useState<TPendingTicket[]>([]);
  const track = useCallback(
    (pending: TPendingTicket[]) => setTracked((all) => [...all, ...pending.filter((p) => !all.some((a) => a.id === p.id))]),
    [],
  );
  const api = useMemo(() => ({ track }), [track]);
  const { toast } = useToast();
  const qc = useQueryClient();
  const announced = useRef(new Set<string>());
  const results = useQueries({
    queries: tracked.map((p) => ({
      queryKey: ticketKeys.request(p.id),
      queryFn: () => fetchTicketRequest(p.id),
      refetchInterval: (q: { state: { data?: { status: string } } }) =>
        q.state.data?.status === "pending" || !q.state.data ? POLL_MS : false,
    })),
  });
  const settledIds = results.map((r) => (r.data && r.data.status !== "pending" ? `${r.data.id}:${r.data.status}` : "")).join(",");

  useEffect(() => {
    const done: string[] = [];
    for (const r of results) {
      const request = r.data;
      if (!request || request.status === "pending" || announced.current.has(request.id)) continue;
      announced.current.add(request.id);
      done.push(request.id);
      const n = request.findingIds.length;
      const what = `${n} finding${n === 1 ? "" : "s"}`;
      if (request.status === "created" && request.ticket) {
        toast({
          tone: "success",
          title: `Created ${request.ticket.number}`,
          description: `ServiceNow confirmed the ${ticketTypeLabel(request.type).toLowerCase()} for ${what} after ${request.attempts} attempts.`,
        });
      } else {
        toast({
          tone: "error",
          title: `${ticketTypeLabel(request.type)} not created`,
          description: `${request.error?.message ?? "ServiceNow refused it."} (${what}; see the sync history)`,
        });
      }
    }
    // Settled requests stay tracked (their polling has stopped); `announced` keeps each toast to one.
    if (done.length) void qc.invalidateQueries();
    // settledIds summarizes the results that matter; results itself is a new array on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settledIds]);

  return <PendingTicketsContext.Provider value={api}>{children}</PendingTicketsContext.Provider>;
}

export function usePendingTickets(): Api {
  const ctx = useContext(PendingTicketsContext);
  if (!ctx) throw new Error("usePendingTickets must be used inside <PendingTicketsProvider>");
  return ctx;
}
