import { ExternalLink } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { type TTicketDto } from "@/lib/schemas/tickets";

/** A problem whose findings are all remediated: a person resolves it in ServiceNow (link). */
export function ReadyToResolveBadge({ ticket }: { ticket: Pick<TTicketDto, "readyToResolveAt" | "url" | "number"> }) {
  if (!ticket.readyToResolveAt) return null;
  return (
    <a
      href={ticket.url}
      target="_blank"
      rel="noreferrer noopener"
      className="rounded focus-visible:outline-2"
      aria-label={`Ready to resolve: open ${ticket.number} in ServiceNow`}
    >
      <Badge tone="info" title="Every linked finding is remediated; resolve the problem in ServiceNow">
        Ready to resolve <ExternalLink aria-hidden className="size-3" />
      </Badge>
    </a>
  );
}

/** A state write ServiceNow answered with success but did not apply. */
export function NotAppliedBadge({ ticket }: { ticket: Pick<TTicketDto, "notApplied"> }) {
  if (!ticket.notApplied) return null;
  return (
    <Badge tone="danger" title={`ServiceNow did not apply: ${ticket.notApplied.message}`}>
      Not applied by ServiceNow
    </Badge>
  );
}

/** The detail page's explanation of both states. */
export function LifecycleNotices({ ticket }: { ticket: Pick<TTicketDto, "readyToResolveAt" | "notApplied" | "url" | "number"> }) {
  if (!ticket.readyToResolveAt && !ticket.notApplied) return null;
  return (
    <div className="mt-3 space-y-2">
      {ticket.readyToResolveAt ? (
        <p role="note" className="rounded border border-info/40 bg-info-soft px-3 py-2 text-sm">
          Ready to resolve since <DateTime value={ticket.readyToResolveAt} />: every linked finding is remediated (noted in a work note).{" "}
          <a href={ticket.url} target="_blank" rel="noreferrer noopener" className="font-medium text-accent underline">
            Resolve {ticket.number} in ServiceNow
          </a>{" "}
          (Resolve, resolution code Fix Applied, cause and fix notes). PostureDesk does not write a problem&apos;s state: ServiceNow does
          not apply it through the Table API.
        </p>
      ) : null}
      {ticket.notApplied ? (
        <p role="alert" className="rounded border border-danger bg-danger-soft px-3 py-2 text-sm text-danger">
          ServiceNow did not apply a change (<DateTime value={ticket.notApplied.at} />
          ): {ticket.notApplied.message}. It answered with success but the record kept its old value; check its business rules and state
          model, or change it in ServiceNow.
        </p>
      ) : null}
    </div>
  );
}
