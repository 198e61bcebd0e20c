import type { Metadata } from "next";
import { Forbidden } from "@/components/shell/forbidden";
import { ticketFiltersOf } from "@/components/tickets/ticket-filters";
import { TicketsView } from "@/components/tickets/tickets-view";
import { requirePageActor } from "@/lib/auth/page";
import { hasRole } from "@/lib/auth/roles";
import { listConnectionNames } from "@/lib/connections/service";
import { makeQueryClient } from "@/lib/queries/query-client";
import { ticketKeys } from "@/lib/queries/tickets/keys";
import { ZTicketsQuery } from "@/lib/schemas/tickets";
import { listTickets } from "@/lib/tickets/list";
import { PrefetchedPage } from "@/components/shell/prefetched-page";
import { prefetchParsed } from "../_page/load";

export const metadata: Metadata = { title: "Tickets" };

export default async function TicketsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageActor();
  if (!hasRole(actor.role, "manager")) return <Forbidden need="Manager" />;
  const filters = ticketFiltersOf(await searchParams);
  const qc = makeQueryClient();
  await prefetchParsed(qc, ZTicketsQuery, filters, ticketKeys.list(filters), (query) => listTickets(actor, query));
  const connections = await listConnectionNames();
  return (
    <PrefetchedPage
      client={qc}
      header={{
        title: "Tickets",
        description:
          "Every ServiceNow ticket linked to Defender for Cloud findings: state, assignee, due dates and tickets closed while their findings are still unhealthy.",
      }}
    >
      <TicketsView connections={connections} />
    </PrefetchedPage>
  );
}
