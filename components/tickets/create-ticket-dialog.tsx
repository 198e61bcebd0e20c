"use client";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { SelectField } from "@/components/ui/field";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { useToast } from "@/components/ui/toast";
import { ApiError } from "@/lib/queries/query-client";
import { useConnections } from "@/lib/queries/connections/use-connections";
import { useCreateTickets, useTicketDraft } from "@/lib/queries/tickets/use-tickets";
import { TICKET_TYPES } from "@/lib/schemas/connections";
import { CREATE_TICKET_TYPE_LABEL, type TCreatedTicket, type TCreateTicketType } from "@/lib/schemas/tickets";
import { usePendingTickets } from "./pending-tickets";
import { InstanceFieldInput } from "@/components/connections/servicenow/instance-field-input";
import { overridesOf, TicketFields, type TicketFormValues, valuesOf } from "./ticket-fields";

type Props = { open: boolean; findingIds: string[]; onClose: () => void; onCreated?: (tickets: TCreatedTicket[]) => void };

/**
 * Create ServiceNow tickets for selected findings: connection, type (incident, problem, change request)
 * and grouping, then the prefilled form. The dialog's state starts fresh each time it opens.
 */
export function CreateTicketDialog(props: Props) {
  return props.open ? <CreateTicketForm {...props} /> : null;
}

function CreateTicketForm({ findingIds, onClose, onCreated }: Props) {
  const connections = useConnections({ pageSize: 100 });
  const usable = connections.data?.items.filter((c) => c.itsmEnabled) ?? [];
  const [chosenConnection, setChosenConnection] = useState<string | null>(null);
  const [chosenType, setChosenType] = useState<TCreateTicketType | null>(null);
  const [grouping, setGrouping] = useState<"single" | "per-finding">("single");
  const [edits, setEdits] = useState<Partial<TicketFormValues>>({});
  const [instanceEdits, setInstanceEdits] = useState<Record<string, string>>({});
  const connection = usable.find((c) => c.id === chosenConnection) ?? usable[0] ?? null;
  const types: TCreateTicketType[] = [...TICKET_TYPES];
  const type = chosenType ?? connection?.defaultTable ?? "incident";
  const draft = useTicketDraft(connection ? { connectionId: connection.id, type, findingIds, grouping } : null);
  const create = useCreateTickets();
  const { toast } = useToast();
  const { track } = usePendingTickets();

  const first = draft.data?.tickets[0];
  const prefilled = first ? valuesOf(first.fields) : null;
  const values = prefilled ? { ...prefilled, ...edits } : null;
  const eligible = draft.data?.tickets.flatMap((t) => t.findingIds) ?? [];
  const ticketCount = draft.data?.tickets.length ?? 0;
  const hasSharedText = ticketCount <= 1;
  const error = create.error instanceof ApiError ? create.error : null;
  const fieldError = (field: string) => error?.errors?.find((e) => e.path === `body.${field}`)?.message;
  const instanceValues = { ...(first?.instanceValues ?? {}), ...instanceEdits };
  const restart = () => {
    setEdits({});
    setInstanceEdits({});
    create.reset();
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!connection || !values || !prefilled || eligible.length === 0) return;
    create.mutate(
      {
        connectionId: connection.id,
        type,
        findingIds: eligible,
        grouping,
        ...overridesOf(values, prefilled, type, hasSharedText),
        // Only what the analyst changed: untouched fields get the connection's defaults for each ticket's own findings.
        ...(Object.keys(instanceEdits).length ? { fields: instanceEdits } : {}),
      },
      {
        onSuccess: (answer) => {
          if (answer.pending?.length) {
            const n = answer.pending.reduce((sum, p) => sum + p.findingIds.length, 0);
            track(answer.pending);
            toast({
              tone: "info",
              title: answer.pending.length === 1 ? "Ticket pending" : `${answer.pending.length} tickets pending`,
              description: `ServiceNow has not confirmed the ticket for ${n} finding${n === 1 ? "" : "s"} yet. PostureDesk keeps trying and shows the ticket here when it exists.`,
            });
          }
          if (answer.tickets.length === 0) {
            onCreated?.(answer.tickets);
            onClose();
            return;
          }
          const numbers = answer.tickets.map((t) => t.number).join(", ");
          const linked = answer.tickets.reduce((n, t) => n + t.findingIds.length, 0);
          toast({
            tone: "success",
            title: answer.tickets.length === 1 ? `Created ${numbers}` : `Created ${answer.tickets.length} tickets`,
            description:
              answer.tickets.length === 1 ? `${linked} resource${linked === 1 ? "" : "s"} linked; Defender governance updated.` : numbers,
          });
          const warnings = answer.tickets.flatMap((t) => (t.warnings ?? []).map((w) => `${t.number}: ${w}`));
          if (warnings.length)
            toast({ tone: "info", title: "ServiceNow did not take everything as asked", description: warnings.join(" ") });
          if (answer.failures?.length) {
            toast({ tone: "error", title: `${answer.failures.length} ticket(s) failed`, description: answer.failures[0]!.message });
          }
          onCreated?.(answer.tickets);
          onClose();
        },
        // A field ServiceNow just refused the ticket without is learned: show it in the form.
        onError: (err) => {
          if (err instanceof ApiError && err.errors?.some((e) => e.path.startsWith("body.fields."))) void draft.refetch();
        },
      },
    );
  };

  return (
    <Dialog
      open
      size="lg"
      onClose={onClose}
      title="Create ServiceNow ticket"
      description={`${findingIds.length} selected finding${findingIds.length === 1 ? "" : "s"}`}
      footer={
        <>
          {/* Next to the button that caused it, and read out by screen readers when it appears. */}
          <div aria-live="assertive" aria-atomic="true" className="mr-auto min-w-0 flex-1 self-center text-sm">
            {error ? (
              <p id="create-ticket-error" role="alert" className="text-danger">
                {/* Instance fields: the message names every missing or refused field. */}
                {error.errors?.length && !error.errors.some((e) => e.path.startsWith("body.fields."))
                  ? `Check the highlighted field${error.errors.length === 1 ? "" : "s"}: ${error.errors[0]!.message}`
                  : error.message}
              </p>
            ) : null}
          </div>
          <DialogActions
            onCancel={onClose}
            type="submit"
            form="create-ticket-form"
            isLoading={create.isPending}
            disabled={!values || eligible.length === 0}
            aria-describedby={error ? "create-ticket-error" : undefined}
          >
            {ticketCount > 1 ? `Create ${ticketCount} tickets` : "Create ticket"}
          </DialogActions>
        </>
      }
    >
      {connections.isPending ? (
        <LoadingState />
      ) : connections.isError ? (
        <ErrorState error={connections.error} onRetry={() => connections.refetch()} />
      ) : !connection ? (
        <p className="text-sm text-muted">
          No ServiceNow connection with ITSM is set up. An admin can add one under{" "}
          <Link href="/connections" className="text-accent underline">
            Connections
          </Link>
          .
        </p>
      ) : (
        <form id="create-ticket-form" onSubmit={submit} className="space-y-4" noValidate>
          <div className="grid gap-3 sm:grid-cols-3">
            <SelectField
              label="ServiceNow connection"
              value={connection.id}
              onChange={(e) => {
                setChosenConnection(e.target.value);
                restart();
              }}
              options={usable.map((c) => [c.id, c.name] as const)}
            />
            <SelectField
              label="Ticket type"
              value={type}
              onChange={(e) => {
                setChosenType(e.target.value as TCreateTicketType);
                restart();
              }}
              options={types.map((t) => [t, CREATE_TICKET_TYPE_LABEL[t]] as const)}
            />
            <SelectField
              label="Grouping"
              value={grouping}
              disabled={findingIds.length < 2}
              onChange={(e) => {
                setGrouping(e.target.value as "single" | "per-finding");
                restart();
              }}
            >
              <option value="single">One ticket for all selected</option>
              <option value="per-finding">One ticket per resource</option>
            </SelectField>
          </div>

          {draft.isPending ? (
            <LoadingState label="Preparing the ticket…" />
          ) : draft.isError ? (
            <ErrorState error={draft.error} onRetry={() => draft.refetch()} />
          ) : (
            <>
              {draft.data.conflicts.length > 0 ? (
                <div role="note" className="rounded border border-warning bg-warning-soft px-3 py-2 text-sm">
                  {draft.data.conflicts.length} finding{draft.data.conflicts.length === 1 ? " already has" : "s already have"} a ticket on
                  this connection and {draft.data.conflicts.length === 1 ? "is" : "are"} left out:{" "}
                  {[...new Map(draft.data.conflicts.map((c) => [c.ticket.id, c.ticket])).values()].map((t, i) => (
                    <span key={t.id}>
                      {i > 0 ? ", " : ""}
                      <Link href={`/tickets/${t.id}`} className="font-mono underline">
                        {t.number}
                      </Link>
                    </span>
                  ))}
                </div>
              ) : null}
              {draft.data.unticketable.length > 0 ? (
                <p role="note" className="rounded border border-border bg-surface-2 px-3 py-2 text-sm text-muted">
                  {draft.data.unticketable.length} finding{draft.data.unticketable.length === 1 ? " is" : "s are"} left out:{" "}
                  {draft.data.unticketable[0]!.reason}
                  {draft.data.unticketable.length > 1 ? ", …" : ""}.
                </p>
              ) : null}
              {values && !draft.data.isSchemaKnown ? (
                <p role="note" className="rounded border border-border bg-surface-2 px-3 py-2 text-sm text-muted">
                  This instance&apos;s fields were never discovered: fields it requires are unknown until an admin runs Test connection.
                </p>
              ) : null}
              {values && draft.data.instanceFields.length > 0 ? (
                <fieldset className="grid gap-3 sm:grid-cols-2" aria-label="ServiceNow fields">
                  <legend className="mb-1 text-sm font-semibold">ServiceNow fields</legend>
                  {draft.data.instanceFields.map((f) => (
                    <InstanceFieldInput
                      key={f.name}
                      field={f}
                      value={instanceValues[f.name] ?? ""}
                      onChange={(v) => setInstanceEdits((e) => ({ ...e, [f.name]: v }))}
                      error={fieldError(`fields.${f.name}`)}
                    />
                  ))}
                </fieldset>
              ) : null}
              {values ? (
                <TicketFields
                  values={values}
                  onChange={(patch) => setEdits((e) => ({ ...e, ...patch }))}
                  type={type}
                  connectionId={connection.id}
                  hasSharedText={hasSharedText}
                  ticketCount={ticketCount}
                  fieldError={fieldError}
                />
              ) : (
                <p className="text-sm text-muted">None of the selected findings can get a new ticket.</p>
              )}
            </>
          )}
        </form>
      )}
    </Dialog>
  );
}
