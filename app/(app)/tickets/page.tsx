import type { Metadata } from "next";
import { Suspense } from "react";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { Forbidden } from "@/components/shell/forbidden";
import { ticketFiltersOf } from "@/components/tickets/ticket-filters";
import { TicketsView } from "@/components/tickets/tickets-view";
import { PageHeader } from "@/components/ui/page-header";
import { LoadingState } from "@/components/ui/states";
import { requirePageActor } from "@/lib/auth/page";
import { hasRole } from "@/lib/auth/roles";
import { listConnectionNames } from "@/lib/connections/service";
import { makeQueryClient } from "@/lib/queries/query-client";
import { ticketKeys } from "@/lib/queries/tickets/keys";
import { ZTicketsQuery } from "@/lib/schemas/tickets";
import { listTickets } from "@/lib/tickets/list";

export const metadata: Metadata = { title: "Tickets" };

export default async function TicketsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageActor();
  if (!hasRole(actor.role, "manager")) return <Forbidden need="Manager" />;
  const filters = ticketFiltersOf(await searchParams);
  const qc = makeQueryClient();
  const parsed = ZTicketsQuery.safeParse(filters);
  if (parsed.success) await qc.prefetchQuery({ queryKey: ticketKeys.list(filters), queryFn: () => listTickets(actor, parsed.data) });
  const connections = await listConnectionNames();
  return (
    <>
      <PageHeader
        title="Tickets"
        description="Every ServiceNow ticket linked to Defender for Cloud findings: state, assignee, due dates and tickets closed while their findings are still unhealthy."
      />
      <HydrationBoundary state={dehydrate(qc)}>
        <Suspense fallback={<LoadingState />}>
          <TicketsView connections={connections} />
        </Suspense>
      </HydrationBoundary>
    </>
  );
}
