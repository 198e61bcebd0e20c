import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Forbidden } from "@/components/shell/forbidden";
import { TicketDetail } from "@/components/tickets/ticket-detail";
import { requirePageActor } from "@/lib/auth/page";
import { canWrite, hasRole } from "@/lib/auth/roles";
import { makeQueryClient } from "@/lib/queries/query-client";
import { ticketKeys } from "@/lib/queries/tickets/keys";
import { ZUuid } from "@/lib/schemas/common";
import { getTicket } from "@/lib/tickets/detail";
import { PrefetchedPage } from "@/components/shell/prefetched-page";
import { Crumb } from "@/components/ui/page-header";
import { loadOr404 } from "../../_page/load";

export const metadata: Metadata = { title: "Ticket" };

export default async function TicketPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor();
  if (!hasRole(actor.role, "manager")) return <Forbidden need="Manager" />;
  const { id } = await params;
  if (!ZUuid.safeParse(id).success) notFound();
  const ticket = await loadOr404(() => getTicket(actor, id));
  const qc = makeQueryClient();
  qc.setQueryData(ticketKeys.detail(id), ticket);
  return (
    <PrefetchedPage
      client={qc}
      header={{ title: `${ticket.number} — ${ticket.shortDescription || "Ticket"}`, breadcrumb: <Crumb href="/tickets">Tickets</Crumb> }}
      suspense={false}
    >
      <TicketDetail id={id} canWrite={canWrite(actor.role)} />
    </PrefetchedPage>
  );
}
