"use client";
import { useState, type FormEvent } from "react";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { CheckboxField, SelectField, TextField } from "@/components/ui/field";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { useToast } from "@/components/ui/toast";
import { FormError, useFormErrors } from "@/components/ui/form-error";
import { useConnections } from "@/lib/queries/connections/use-connections";
import { useLinkFindings } from "@/lib/queries/tickets/use-tickets";

type Props = { open: boolean; findingIds: string[]; onClose: () => void };

/** Link selected findings to a ticket that already exists in ServiceNow, by its number. */
export function LinkTicketDialog(props: Props) {
  return props.open ? <LinkTicketForm {...props} /> : null;
}

function LinkTicketForm({ findingIds, onClose }: Props) {
  const connections = useConnections({ pageSize: 100 });
  const [chosen, setChosen] = useState<string | null>(null);
  const [number, setNumber] = useState("");
  const [replace, setReplace] = useState(false);
  const link = useLinkFindings();
  const { toast } = useToast();
  const connectionId = chosen ?? connections.data?.items[0]?.id ?? null;
  const { error } = useFormErrors(link.error);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!connectionId) return;
    link.mutate(
      { ref: number.trim().toUpperCase(), input: { connectionId, findingIds, replace } },
      {
        onSuccess: (answer) => {
          toast({
            tone: "success",
            title: `Linked to ${answer.ticket.number}`,
            description: `${answer.linked.length} linked, ${answer.alreadyLinked.length} already linked, ${answer.moved.length} moved`,
          });
          onClose();
        },
      },
    );
  };

  return (
    <Dialog
      open
      onClose={onClose}
      title="Link an existing ServiceNow ticket"
      description={`${findingIds.length} selected finding${findingIds.length === 1 ? "" : "s"}`}
      footer={
        <DialogActions
          onCancel={onClose}
          type="submit"
          form="link-ticket-form"
          isLoading={link.isPending}
          disabled={!connectionId || !number.trim()}
        >
          Link
        </DialogActions>
      }
    >
      {connections.isPending ? (
        <LoadingState />
      ) : connections.isError ? (
        <ErrorState error={connections.error} />
      ) : (
        <form id="link-ticket-form" onSubmit={submit} className="space-y-3" noValidate>
          <SelectField
            label="ServiceNow connection"
            value={connectionId ?? ""}
            onChange={(e) => setChosen(e.target.value)}
            options={connections.data.items.map((c) => [c.id, c.name] as const)}
          />
          <TextField
            label="Ticket number"
            required
            placeholder="INC0010001"
            value={number}
            onChange={(e) => setNumber(e.target.value)}
            error={error?.errors?.find((x) => x.path.startsWith("path.id"))?.message}
          />
          <CheckboxField
            label="Move findings that already have another ticket"
            hint="Otherwise they are refused and their current ticket is named"
            checked={replace}
            onChange={(e) => setReplace(e.target.checked)}
          />
          <FormError error={error} />
        </form>
      )}
    </Dialog>
  );
}
