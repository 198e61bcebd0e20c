"use client";
import { useState } from "react";
import { Link2, TicketPlus } from "lucide-react";
import { Button } from "@/components/ui/button";
import { type TCreatedTicket } from "@/lib/schemas/tickets";
import { CreateTicketDialog } from "./create-ticket-dialog";
import { LinkTicketDialog } from "./link-ticket-dialog";

/**
 * "Create ticket" and "Link ticket" for selected findings: the slot a resources or findings table
 * renders above its selection. Renders nothing for read-only roles (managers); the API refuses them too.
 */
export function TicketActions({
  findingIds,
  canWrite,
  onDone,
}: {
  findingIds: string[];
  canWrite: boolean;
  onDone?: (tickets: TCreatedTicket[]) => void;
}) {
  const [open, setOpen] = useState<"create" | "link" | null>(null);
  if (!canWrite) return null;
  const count = findingIds.length;
  return (
    <>
      <Button
        variant="primary"
        size="sm"
        icon={<TicketPlus aria-hidden className="size-4" />}
        disabled={count === 0}
        onClick={() => setOpen("create")}
      >
        Create ticket{count > 0 ? ` (${count})` : ""}
      </Button>
      <Button size="sm" icon={<Link2 aria-hidden className="size-4" />} disabled={count === 0} onClick={() => setOpen("link")}>
        Link existing ticket
      </Button>
      <CreateTicketDialog open={open === "create"} findingIds={findingIds} onClose={() => setOpen(null)} onCreated={onDone} />
      <LinkTicketDialog open={open === "link"} findingIds={findingIds} onClose={() => setOpen(null)} />
    </>
  );
}
