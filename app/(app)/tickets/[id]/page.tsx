import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { Forbidden } from "@/components/shell/forbidden";
import { TicketDetail } from "@/components/tickets/ticket-detail";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/auth/page";
import { canWrite, hasRole } from "@/lib/auth/roles";
import { isAppError } from "@/lib/http/errors";
import { makeQueryClient } from "@/lib/queries/query-client";
import { ticketKeys } from "@/lib/queries/tickets/keys";
import { ZUuid } from "@/lib/schemas/common";
import { getTicket } from "@/lib/tickets/detail";

export const metadata: Metadata = { title: "Ticket" };

export default async function TicketPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor();
  if (!hasRole(actor.role, "manager")) return <Forbidden need="Manager" />;
  const { id } = await params;
  if (!ZUuid.safeParse(id).success) notFound();
  let ticket;
  try {
    ticket = await getTicket(actor, id);
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  }
  const qc = makeQueryClient();
  qc.setQueryData(ticketKeys.detail(id), ticket);
  return (
    <>
      <PageHeader
        title={`${ticket.number} — ${ticket.shortDescription || "Ticket"}`}
        breadcrumb={
          <Link href="/tickets" className="hover:underline">
            Tickets
          </Link>
        }
      />
      <HydrationBoundary state={dehydrate(qc)}>
        <TicketDetail id={id} canWrite={canWrite(actor.role)} />
      </HydrationBoundary>
    </>
  );
}
