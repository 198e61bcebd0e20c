"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { Plug, Plus } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { CheckboxField } from "@/components/ui/field";
import { Dialog } from "@/components/ui/dialog";
import { EmptyState, ErrorState, SkeletonRows } from "@/components/ui/states";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { formatCount } from "@/lib/format/number";
import { useArchiveConnection, useConnectionGovernance, useConnections } from "@/lib/queries/connections/use-connections";
import { TICKET_TYPE_LABEL, type TServiceNowConnectionDto } from "@/lib/schemas/connections";
import { ConnectionFormDialog } from "./connection-form-dialog";
import { ConnectionSyncStatus } from "./connection-sync-status";
import { ConnectionTestDialog } from "./connection-test-dialog";
import { SERVICENOW_LIST_FILTERS } from "./list-filters";

function interval(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440} d`;
  if (minutes % 60 === 0) return `${minutes / 60} h`;
  return `${minutes} min`;
}

export function ServiceNowConnections({ isAdmin }: { isAdmin: boolean }) {
  const [showArchived, setShowArchived] = useState(false);
  const filters = showArchived ? { includeArchived: true, pageSize: SERVICENOW_LIST_FILTERS.pageSize } : SERVICENOW_LIST_FILTERS;
  const connections = useConnections(filters);
  const [editing, setEditing] = useState<TServiceNowConnectionDto | "new" | null>(null);
  const [testing, setTesting] = useState<TServiceNowConnectionDto | null>(null);
  const [archiving, setArchiving] = useState<TServiceNowConnectionDto | null>(null);
  const archive = useArchiveConnection();
  // Defender deletes its own integration's assignments when the integration goes: offer the same, on by default.
  const [removeGovernance, setRemoveGovernance] = useState(true);
  const governance = useConnectionGovernance(archiving?.id ?? null);
  const governanceCount = governance.data?.managedAssignments ?? 0;
  const { toast } = useToast();
  const router = useRouter();

  return (
    <Card aria-labelledby="servicenow-heading">
      <CardHeader
        id="servicenow-heading"
        title="ServiceNow instances"
        description="Where tickets are created and followed. Secrets are stored encrypted and never shown again."
        actions={
          <>
            <CheckboxField label="Show archived" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} />
            {isAdmin ? (
              <Button variant="primary" size="sm" icon={<Plus aria-hidden className="size-4" />} onClick={() => setEditing("new")}>
                Add ServiceNow connection
              </Button>
            ) : null}
          </>
        }
      />
      {connections.isError ? (
        <ErrorState error={connections.error} onRetry={() => connections.refetch()} />
      ) : (
        <>
          <Table caption="ServiceNow connections">
            <THead>
              <tr>
                <TH>Name</TH>
                <TH>Instance</TH>
                <TH>Sign-in</TH>
                <TH>Modules</TH>
                <TH>Default ticket</TH>
                <TH>Sync every</TH>
                <TH>Sync</TH>
                <TH className="text-right">Tickets</TH>
                <TH>
                  <span className="sr-only">Actions</span>
                </TH>
              </tr>
            </THead>
            <TBody>
              {connections.isPending ? (
                <SkeletonRows columns={9} rows={2} />
              ) : (
                connections.data.items.map((c) => (
                  <TR key={c.id} className={c.archivedAt ? "opacity-60" : undefined}>
                    <TD className="font-medium">
                      {c.name} {c.archivedAt ? <Badge>Archived</Badge> : null}
                    </TD>
                    <TD className="font-mono text-xs">{c.instanceUrl}</TD>
                    <TD className="text-xs">
                      {c.authType === "oauth" ? "OAuth" : "Basic"} · {c.username}
                    </TD>
                    <TD>
                      <span className="flex gap-1">
                        {c.itsmEnabled ? <Badge tone="info">ITSM</Badge> : null}
                        {c.ccEnabled ? <Badge tone="info">CC</Badge> : null}
                      </span>
                    </TD>
                    <TD className="text-xs">
                      {TICKET_TYPE_LABEL[c.defaultTable]}
                      {c.defaultAssignmentGroup ? <span className="text-muted"> → {c.defaultAssignmentGroup}</span> : null}
                    </TD>
                    <TD className="text-xs tabular">{interval(c.syncIntervalMinutes)}</TD>
                    <TD>
                      {c.archivedAt ? (
                        <span className="text-xs text-muted">not synced</span>
                      ) : (
                        <ConnectionSyncStatus connectionId={c.id} name={c.name} canRun />
                      )}
                    </TD>
                    <TD className="text-right tabular">{formatCount(c.ticketCount)}</TD>
                    <TD className="text-right whitespace-nowrap">
                      {c.archivedAt ? null : (
                        <>
                          <Button size="sm" variant="ghost" onClick={() => setTesting(c)} aria-label={`Test connection ${c.name}`}>
                            Test
                          </Button>
                          {isAdmin ? (
                            <>
                              <Button size="sm" variant="ghost" onClick={() => setEditing(c)} aria-label={`Edit connection ${c.name}`}>
                                Edit
                              </Button>
                              <Button size="sm" variant="ghost" onClick={() => setArchiving(c)} aria-label={`Delete connection ${c.name}`}>
                                Delete
                              </Button>
                            </>
                          ) : null}
                        </>
                      )}
                    </TD>
                  </TR>
                ))
              )}
            </TBody>
          </Table>
          {connections.data?.total === 0 ? (
            <EmptyState
              icon={<Plug className="size-8" />}
              title="No ServiceNow instance connected"
              description={
                isAdmin ? "Add one to create tickets from recommendations." : "An admin must add one before tickets can be created."
              }
            />
          ) : null}
        </>
      )}
      {editing ? (
        <ConnectionFormDialog
          connection={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(saved, isNew) => {
            setEditing(null);
            if (isNew) setTesting(saved);
          }}
        />
      ) : null}
      {testing ? <ConnectionTestDialog connection={testing} onClose={() => setTesting(null)} /> : null}
      <Dialog
        open={archiving !== null}
        onClose={() => setArchiving(null)}
        title="Delete this ServiceNow connection?"
        description={archiving ? `"${archiving.name}" stops syncing and its credentials are erased.` : undefined}
        footer={
          <>
            <Button onClick={() => setArchiving(null)}>Cancel</Button>
            <Button
              variant="danger"
              isLoading={archive.isPending}
              onClick={() =>
                archiving &&
                archive.mutate(
                  { id: archiving.id, removeGovernance: removeGovernance && governanceCount > 0 },
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
                      setArchiving(null);
                      setRemoveGovernance(true);
                      // The removal runs as a sync run: open it to follow its progress and outcome.
                      if (removal) router.push(`/sync/${removal.runId}`);
                    },
                    onError: (e) => toast({ tone: "error", title: "Could not delete the connection", description: e.message }),
                  },
                )
              }
            >
              Delete
            </Button>
          </>
        }
      >
        <p className="text-sm text-muted">
          Nothing is deleted in ServiceNow. The {formatCount(archiving?.ticketCount ?? 0)} tickets, their links to findings and the sync
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
      </Dialog>
    </Card>
  );
}
