"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { Plug } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { CheckboxField } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { formatCount } from "@/lib/format/number";
import {
  useArchiveConnection,
  useConnectionGovernance,
  useConnections,
  useTestConnection,
} from "@/lib/queries/connections/use-connections";
import { TICKET_TYPE_LABEL, type TServiceNowConnectionDto } from "@/lib/schemas/connections";
import { TestConnectionDialog } from "@/components/connections/test-dialog";
import {
  ConnectionList,
  DeleteConnectionDialog,
  useArchivedFilter,
  type ConnectionKind,
  type DeleteDialogProps,
  type TestDialogProps,
} from "../connection-list";
import { ConnectionFormDialog } from "./connection-form-dialog";
import { ConnectionSyncStatus } from "./connection-sync-status";
import { SERVICENOW_LIST_FILTERS } from "./list-filters";

function interval(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440} d`;
  if (minutes % 60 === 0) return `${minutes / 60} h`;
  return `${minutes} min`;
}

const COLUMNS: ConnectionKind<TServiceNowConnectionDto>["columns"] = [
  { header: "Instance", cellClassName: "font-mono text-xs", cell: (c) => c.instanceUrl },
  { header: "Sign-in", cellClassName: "text-xs", cell: (c) => `${c.authType === "oauth" ? "OAuth" : "Basic"} · ${c.username}` },
  {
    header: "Modules",
    cell: (c) => (
      <span className="flex gap-1">
        {c.itsmEnabled ? <Badge tone="info">ITSM</Badge> : null}
        {c.ccEnabled ? <Badge tone="info">CC</Badge> : null}
      </span>
    ),
  },
  {
    header: "Default ticket",
    cellClassName: "text-xs",
    cell: (c) => (
      <>
        {TICKET_TYPE_LABEL[c.defaultTable]}
        {c.defaultAssignmentGroup ? <span className="text-muted"> → {c.defaultAssignmentGroup}</span> : null}
      </>
    ),
  },
  { header: "Sync every", cellClassName: "text-xs tabular", cell: (c) => interval(c.syncIntervalMinutes) },
  {
    header: "Sync",
    cell: (c) =>
      c.archivedAt ? (
        <span className="text-xs text-muted">not synced</span>
      ) : (
        <ConnectionSyncStatus connectionId={c.id} name={c.name} canRun />
      ),
  },
  { header: "Tickets", className: "text-right", cellClassName: "text-right tabular", cell: (c) => formatCount(c.ticketCount) },
];

const SERVICENOW: ConnectionKind<TServiceNowConnectionDto> = {
  headingId: "servicenow-heading",
  title: "ServiceNow instances",
  description: "Where tickets are created and followed. Secrets are stored encrypted and never shown again.",
  addLabel: "Add ServiceNow connection",
  caption: "ServiceNow connections",
  empty: { icon: <Plug className="size-8" />, title: "No ServiceNow instance connected" },
  emptyHint: { admin: "Add one to create tickets from recommendations.", viewer: "An admin must add one before tickets can be created." },
  columns: COLUMNS,
  dialogs: { Form: ConnectionFormDialog, Test: ConnectionTestDialog, Delete: DeleteServiceNowDialog },
};

export function ServiceNowConnections({ isAdmin }: { isAdmin: boolean }) {
  const archived = useArchivedFilter(SERVICENOW_LIST_FILTERS);
  const connections = useConnections(archived.filters);
  return <ConnectionList kind={SERVICENOW} isAdmin={isAdmin} archived={archived.toggle} list={connections} />;
}

/** Runs "Test connection" when opened and lists each check with what to fix. */
function ConnectionTestDialog({ record: connection, onClose }: TestDialogProps<TServiceNowConnectionDto>) {
  return (
    <TestConnectionDialog
      id={connection.id}
      name={connection.name}
      description={connection.instanceUrl}
      test={useTestConnection()}
      loadingLabel="Signing in and checking permissions…"
      note={() => (
        <p className="mt-3 text-xs text-muted">Write permissions are confirmed by ServiceNow when the first ticket is created.</p>
      )}
      onClose={onClose}
    />
  );
}

function DeleteServiceNowDialog({ record: connection, onClose }: DeleteDialogProps<TServiceNowConnectionDto>) {
  const archive = useArchiveConnection();
  // Defender deletes its own integration's assignments when the integration goes: offer the same, on by default.
  const [removeGovernance, setRemoveGovernance] = useState(true);
  const governance = useConnectionGovernance(connection?.id ?? null);
  const governanceCount = governance.data?.managedAssignments ?? 0;
  const { toast } = useToast();
  const router = useRouter();

  return (
    <DeleteConnectionDialog
      record={connection}
      onClose={onClose}
      title="Delete this ServiceNow connection?"
      description={(c) => `"${c.name}" stops syncing and its credentials are erased.`}
      isPending={archive.isPending}
      onDelete={(c) =>
        archive.mutate(
          { id: c.id, removeGovernance: removeGovernance && governanceCount > 0 },
          {
            onSuccess: (result) => {
              const removal = result.governanceRemoval;
              toast({
                tone: "success",
                title: "Connection deleted",
                description: removal
                  ? `Removing its ${formatCount(removal.total)} governance assignments from Defender in the background: the sync run shows the progress. Tickets and history remain viewable.`
                  : "Its tickets and history remain viewable.",
              });
              onClose();
              setRemoveGovernance(true);
              // The removal runs as a sync run: open it to follow its progress and outcome.
              if (removal) router.push(`/sync/${removal.runId}`);
            },
            onError: (e) => toast({ tone: "error", title: "Could not delete the connection", description: e.message }),
          },
        )
      }
    >
      <p className="text-sm text-muted">
        Nothing is deleted in ServiceNow. The {formatCount(connection?.ticketCount ?? 0)} tickets, their links to findings and the sync
        history stay in PostureDesk (archived, still viewable).
      </p>
      <div className="mt-3 text-sm" aria-live="polite">
        {governance.isPending ? (
          <p className="text-muted">Counting the Defender governance assignments of its tickets…</p>
        ) : governance.isError ? (
          <p className="text-danger">Could not count the governance assignments: {governance.error.message}</p>
        ) : governanceCount === 0 ? (
          <p className="text-muted">PostureDesk wrote no Defender governance assignment for its tickets.</p>
        ) : (
          <CheckboxField
            label={`Also remove the ${formatCount(governanceCount)} governance assignments PostureDesk wrote in Defender for Cloud`}
            hint="Owners and due dates of those recommendations disappear from Defender, as when Defender's own ServiceNow integration is removed. Done in the background as a sync run (opened next) with one history entry per assignment."
            checked={removeGovernance}
            onChange={(e) => setRemoveGovernance(e.target.checked)}
          />
        )}
      </div>
    </DeleteConnectionDialog>
  );
}
