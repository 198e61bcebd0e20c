"use client";
import { useId, useState } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CardBody, SectionCard } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { SelectField, TextAreaField } from "@/components/ui/field";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { useAddJournalEntry, useConversation } from "@/lib/queries/ticket-conversation/use-conversation";
import {
  JOURNAL_TEXT_MAX,
  journalElementLabel,
  type TJournalElement,
  type TJournalEntry,
  type TTicketSla,
  ZAddJournalEntry,
} from "@/lib/schemas/ticket-conversation";

const SLA: Record<TTicketSla["status"], { tone: BadgeTone; label: string }> = {
  no_due_date: { tone: "neutral", label: "No due date" },
  on_track: { tone: "success", label: "On track" },
  at_risk: { tone: "warning", label: "At risk" },
  breached: { tone: "danger", label: "Breached" },
  met: { tone: "success", label: "Met" },
  missed: { tone: "danger", label: "Missed" },
};

function SlaSummary({ sla }: { sla: TTicketSla }) {
  const s = SLA[sla.status];
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm" data-testid="ticket-sla">
      <span className="font-medium">SLA</span>
      <Badge tone={s.tone}>{s.label}</Badge>
      {sla.dueDate ? (
        <span className="text-muted">
          due <DateTime value={sla.dueDate} format="date" />
          {sla.elapsedPercent !== null ? ` · ${sla.elapsedPercent}% of the time used` : ""}
          {sla.stoppedAt ? (
            <>
              {" "}
              · stopped <DateTime value={sla.stoppedAt} format="date" />
            </>
          ) : null}
        </span>
      ) : null}
      <span className="text-xs text-muted">Computed by PostureDesk from the ticket&apos;s due date, not ServiceNow SLA records.</span>
    </div>
  );
}

function AddEntryForm({ ticketId }: { ticketId: string }) {
  const add = useAddJournalEntry(ticketId);
  const [element, setElement] = useState<TJournalElement>("work_notes");
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const statusId = useId();
  const textId = useId();

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const parsed = ZAddJournalEntry.safeParse({ element, text });
    if (!parsed.success) {
      setError(`The text ${parsed.error.issues[0]?.message ?? "is invalid"}.`);
      document.getElementById(textId)?.focus();
      return;
    }
    setError(null);
    add.mutate(parsed.data, {
      onSuccess: () => setText(""),
      onError: (err) => setError(err.message),
    });
  };

  return (
    <form onSubmit={submit} className="space-y-2 border-b border-border px-4 py-3" aria-label="Add to the ticket's journal">
      <div className="grid gap-2 sm:grid-cols-[12rem_1fr]">
        <SelectField label="Type" value={element} onChange={(e) => setElement(e.target.value as TJournalElement)}>
          <option value="work_notes">Work note (internal)</option>
          <option value="comments">Additional comment (visible to the caller)</option>
        </SelectField>
        <TextAreaField
          id={textId}
          label={element === "work_notes" ? "Work note" : "Comment"}
          rows={3}
          maxLength={JOURNAL_TEXT_MAX}
          value={text}
          onChange={(e) => setText(e.target.value)}
          error={error ?? undefined}
          hint="Written to ServiceNow under the integration user, signed with your name."
        />
      </div>
      <div className="flex items-center justify-end gap-3">
        <span id={statusId} role="status" aria-live="polite" className="text-xs text-muted">
          {add.isSuccess && !add.isPending ? "Added to ServiceNow." : ""}
        </span>
        <Button type="submit" variant="primary" size="sm" isLoading={add.isPending} aria-describedby={statusId}>
          Add {element === "work_notes" ? "work note" : "comment"}
        </Button>
      </div>
    </form>
  );
}

/** "text\n\n— Name (via PostureDesk)": entries PostureDesk wrote name the person; ServiceNow's author is the integration user. */
const SIGNATURE = /\n\n— (.+) \(via PostureDesk\)$/;

function JournalItem({ entry: e }: { entry: TJournalEntry }) {
  const signed = SIGNATURE.exec(e.text);
  const author = signed?.[1] ?? e.createdByName ?? (e.createdBy || "ServiceNow");
  const text = signed ? e.text.slice(0, signed.index) : e.text;
  return (
    <>
      <div className="flex flex-wrap items-center gap-2 text-xs text-muted">
        <Badge tone={e.element === "work_notes" ? "neutral" : "info"}>{journalElementLabel(e.element)}</Badge>
        <span className="font-medium text-fg">{author}</span>
        {signed ? <span title={`Written by ${e.createdByName ?? e.createdBy} in ServiceNow`}>via PostureDesk</span> : null}
        <DateTime value={e.createdAt} format="datetime" />
      </div>
      <p className="mt-1 whitespace-pre-wrap text-sm">{text}</p>
    </>
  );
}

/** Description, SLA and journal (work notes and additional comments, newest first) of one ticket, read from ServiceNow. */
export function TicketConversation({ ticketId, canWrite }: { ticketId: string; canWrite: boolean }) {
  const conversation = useConversation(ticketId);
  return (
    <SectionCard
      id="ticket-conversation"
      title="Conversation"
      description="Description, work notes and additional comments, read live from ServiceNow."
    >
      {conversation.isPending ? (
        <LoadingState label="Reading the journal from ServiceNow…" />
      ) : conversation.isError ? (
        <ErrorState
          title="Could not read the conversation from ServiceNow"
          error={conversation.error}
          onRetry={() => conversation.refetch()}
        />
      ) : (
        <>
          <CardBody className="space-y-3 border-b border-border">
            <SlaSummary sla={conversation.data.sla} />
            <div>
              <h3 className="text-xs text-muted">Description</h3>
              {/* Scrolls when long: focusable so keyboard users can scroll it too. */}
              <p
                tabIndex={0}
                aria-label="Description"
                className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap rounded text-sm focus-visible:outline-2 focus-visible:outline-accent"
              >
                {conversation.data.description || "—"}
              </p>
            </div>
          </CardBody>
          {canWrite && conversation.data.canAdd ? <AddEntryForm ticketId={ticketId} /> : null}
          {conversation.data.entries.length === 0 ? (
            <EmptyState title="No work notes or comments yet" />
          ) : (
            <ol className="divide-y divide-border" aria-label="Journal, newest first">
              {conversation.data.entries.map((e) => (
                <li key={e.id} className="px-4 py-3">
                  <JournalItem entry={e} />
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </SectionCard>
  );
}
