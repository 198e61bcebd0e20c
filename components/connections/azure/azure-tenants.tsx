"use client";
import { useState } from "react";
import { Cloud, Plus, RefreshCw } from "lucide-react";
import { Badge, SyncStatusBadge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { CheckboxField } from "@/components/ui/field";
import { Dialog } from "@/components/ui/dialog";
import { ProgressBar } from "@/components/ui/progress";
import { EmptyState, ErrorState, SkeletonRows } from "@/components/ui/states";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { formatCount } from "@/lib/format/number";
import { useArchiveAzureTenant, useAzureTenants, useSyncAzureTenant } from "@/lib/queries/azure-tenants/use-azure-tenants";
import { type TAzureTenantDto, type TSyncRunSummary } from "@/lib/schemas/azure-tenants";
import { AZURE_LIST_FILTERS } from "./list-filters";
import { TenantFormDialog } from "./tenant-form-dialog";
import { TenantTestDialog } from "./tenant-test-dialog";

function LastRun({ run }: { run: TSyncRunSummary | null }) {
  if (!run) return <span className="text-xs text-muted">Never synced</span>;
  const isActive = run.status === "queued" || run.status === "running";
  return (
    <div className="min-w-44 space-y-1">
      <div className="flex items-center gap-2">
        <SyncStatusBadge status={run.status} />
        <span className="text-xs text-muted tabular">
          {isActive ? (
            (run.phase?.replace(/^ingest-defender: /, "") ?? "")
          ) : (
            <DateTime value={run.finishedAt} format="datetime-short" fallback="never" />
          )}
        </span>
      </div>
      {isActive ? <ProgressBar done={run.progressDone} total={run.progressTotal} label="Ingestion progress" /> : null}
      {run.error && !isActive ? (
        <p className="max-w-72 truncate text-xs text-muted" title={run.error}>
          {run.error}
        </p>
      ) : null}
    </div>
  );
}

export function AzureTenants({ isAdmin, canSync }: { isAdmin: boolean; canSync: boolean }) {
  const [showArchived, setShowArchived] = useState(false);
  const filters = showArchived ? { includeArchived: true, pageSize: AZURE_LIST_FILTERS.pageSize } : AZURE_LIST_FILTERS;
  const tenants = useAzureTenants(filters);
  const [editing, setEditing] = useState<TAzureTenantDto | "new" | null>(null);
  const [testing, setTesting] = useState<TAzureTenantDto | null>(null);
  const [archiving, setArchiving] = useState<TAzureTenantDto | null>(null);
  const archive = useArchiveAzureTenant();
  const sync = useSyncAzureTenant();
  const { toast } = useToast();

  const startSync = (t: TAzureTenantDto) =>
    sync.mutate(
      { id: t.id, mode: "full" },
      {
        onSuccess: (r) =>
          toast({
            tone: "success",
            title: r.isNew ? "Ingestion queued" : "An ingestion is already queued",
            description: `${t.name}: progress shows here and in Sync history.`,
          }),
        onError: (e) => toast({ tone: "error", title: "Could not start the ingestion", description: e.message }),
      },
    );

  return (
    <Card aria-labelledby="azure-heading">
      <CardHeader
        id="azure-heading"
        title="Azure tenants"
        description="Where Defender for Cloud findings come from: an app registration with Security Reader on the subscriptions to ingest. The client secret is stored encrypted and never shown again."
        actions={
          <>
            <CheckboxField label="Show archived" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} />
            {isAdmin ? (
              <Button variant="primary" size="sm" icon={<Plus aria-hidden className="size-4" />} onClick={() => setEditing("new")}>
                Add Azure tenant
              </Button>
            ) : null}
          </>
        }
      />
      {tenants.isError ? (
        <ErrorState error={tenants.error} onRetry={() => tenants.refetch()} />
      ) : (
        <>
          <Table caption="Azure tenant connections">
            <THead>
              <tr>
                <TH>Name</TH>
                <TH>Directory · application</TH>
                <TH>Subscriptions</TH>
                <TH className="text-right">Findings</TH>
                <TH>Last ingestion</TH>
                <TH>
                  <span className="sr-only">Actions</span>
                </TH>
              </tr>
            </THead>
            <TBody>
              {tenants.isPending ? (
                <SkeletonRows columns={6} rows={2} />
              ) : (
                tenants.data.items.map((t) => {
                  const included = t.subscriptions.filter((s) => s.isIncluded).length;
                  const isActive = t.lastRun?.status === "queued" || t.lastRun?.status === "running";
                  return (
                    <TR key={t.id} className={t.archivedAt ? "opacity-60" : undefined}>
                      <TD className="font-medium">
                        {t.name} {t.archivedAt ? <Badge>Archived</Badge> : null}
                        {t.allowPrivateNetwork ? (
                          <Badge tone="warning" className="ml-1" title="Private or loopback endpoints allowed (local emulators)">
                            Private network
                          </Badge>
                        ) : null}
                      </TD>
                      <TD className="font-mono text-xs">
                        <div>{t.tenantId}</div>
                        <div className="text-muted">{t.clientId}</div>
                      </TD>
                      <TD className="text-xs">
                        {t.subscriptions.length === 0 ? (
                          <span className="text-muted">Not discovered yet (test the connection)</span>
                        ) : (
                          <span title={t.subscriptions.map((s) => `${s.isIncluded ? "✓" : "–"} ${s.displayName}`).join("\n")}>
                            {included} of {t.subscriptions.length} included
                          </span>
                        )}
                      </TD>
                      <TD className="text-right tabular">{formatCount(t.findingCount)}</TD>
                      <TD>
                        <LastRun run={t.lastRun} />
                      </TD>
                      <TD className="text-right whitespace-nowrap">
                        {t.archivedAt ? null : (
                          <>
                            <Button size="sm" variant="ghost" onClick={() => setTesting(t)} aria-label={`Test connection ${t.name}`}>
                              Test
                            </Button>
                            {canSync ? (
                              <Button
                                size="sm"
                                variant="ghost"
                                icon={<RefreshCw aria-hidden className="size-3.5" />}
                                disabled={isActive}
                                isLoading={sync.isPending && sync.variables?.id === t.id}
                                onClick={() => startSync(t)}
                                aria-label={`Sync ${t.name} now`}
                              >
                                Sync now
                              </Button>
                            ) : null}
                            {isAdmin ? (
                              <>
                                <Button size="sm" variant="ghost" onClick={() => setEditing(t)} aria-label={`Edit connection ${t.name}`}>
                                  Edit
                                </Button>
                                <Button
                                  size="sm"
                                  variant="ghost"
                                  onClick={() => setArchiving(t)}
                                  aria-label={`Delete connection ${t.name}`}
                                >
                                  Delete
                                </Button>
                              </>
                            ) : null}
                          </>
                        )}
                      </TD>
                    </TR>
                  );
                })
              )}
            </TBody>
          </Table>
          {tenants.data?.total === 0 ? (
            <EmptyState
              icon={<Cloud className="size-8" />}
              title="No Azure tenant connected"
              description={
                isAdmin ? "Add one to ingest Defender for Cloud recommendations." : "An admin must add one before recommendations appear."
              }
            />
          ) : null}
        </>
      )}
      {editing ? (
        <TenantFormDialog
          tenant={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(saved, isNew) => {
            setEditing(null);
            if (isNew) setTesting(saved);
          }}
        />
      ) : null}
      {testing ? <TenantTestDialog tenant={testing} onClose={() => setTesting(null)} /> : null}
      <Dialog
        open={archiving !== null}
        onClose={() => setArchiving(null)}
        title="Delete this Azure tenant connection?"
        description={archiving ? `"${archiving.name}" stops syncing and its client secret is erased.` : undefined}
        footer={
          <>
            <Button onClick={() => setArchiving(null)}>Cancel</Button>
            <Button
              variant="danger"
              isLoading={archive.isPending}
              onClick={() =>
                archiving &&
                archive.mutate(archiving.id, {
                  onSuccess: () => {
                    toast({ tone: "success", title: "Connection deleted", description: "Its findings and sync history remain viewable." });
                    setArchiving(null);
                  },
                  onError: (e) => toast({ tone: "error", title: "Could not delete the connection", description: e.message }),
                })
              }
            >
              Delete
            </Button>
          </>
        }
      >
        <p className="text-sm text-muted">
          Nothing changes in Azure. The {formatCount(archiving?.findingCount ?? 0)} findings leave the recommendations lists but stay in
          PostureDesk with their tickets and history (archived, still viewable with “include removed”).
        </p>
      </Dialog>
    </Card>
  );
}
