"use client";
import { Cloud, RefreshCw } from "lucide-react";
import { Badge, SyncStatusBadge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { ProgressBar } from "@/components/ui/progress";
import { useToast } from "@/components/ui/toast";
import { formatCount } from "@/lib/format/number";
import { useArchiveAzureTenant, useAzureTenants, useSyncAzureTenant } from "@/lib/queries/azure-tenants/use-azure-tenants";
import { type TAzureTenantDto, type TSyncRunSummary } from "@/lib/schemas/azure-tenants";
import { ConnectionList, DeleteConnectionDialog, useArchivedFilter, type ConnectionKind, type DeleteDialogProps } from "../connection-list";
import { AZURE_LIST_FILTERS } from "./list-filters";
import { TenantFormDialog } from "./tenant-form-dialog";
import { TenantTestDialog } from "./tenant-test-dialog";

const isActive = (run: TSyncRunSummary | null) => run?.status === "queued" || run?.status === "running";

function LastRun({ run }: { run: TSyncRunSummary | null }) {
  if (!run) return <span className="text-xs text-muted">Never synced</span>;
  const active = isActive(run);
  return (
    <div className="min-w-44 space-y-1">
      <div className="flex items-center gap-2">
        <SyncStatusBadge status={run.status} />
        <span className="text-xs text-muted tabular">
          {active ? (
            (run.phase?.replace(/^ingest-defender: /, "") ?? "")
          ) : (
            <DateTime value={run.finishedAt} format="datetime-short" fallback="never" />
          )}
        </span>
      </div>
      {active ? <ProgressBar done={run.progressDone} total={run.progressTotal} label="Ingestion progress" /> : null}
      {run.error && !active ? (
        <p className="max-w-72 truncate text-xs text-muted" title={run.error}>
          {run.error}
        </p>
      ) : null}
    </div>
  );
}

const COLUMNS: ConnectionKind<TAzureTenantDto>["columns"] = [
  {
    header: "Directory · application",
    cellClassName: "font-mono text-xs",
    cell: (t) => (
      <>
        <div>{t.tenantId}</div>
        <div className="text-muted">{t.clientId}</div>
      </>
    ),
  },
  {
    header: "Subscriptions",
    cellClassName: "text-xs",
    cell: (t) =>
      t.subscriptions.length === 0 ? (
        <span className="text-muted">Not discovered yet (test the connection)</span>
      ) : (
        <span title={t.subscriptions.map((s) => `${s.isIncluded ? "✓" : "–"} ${s.displayName}`).join("\n")}>
          {t.subscriptions.filter((s) => s.isIncluded).length} of {t.subscriptions.length} included
        </span>
      ),
  },
  { header: "Findings", className: "text-right", cellClassName: "text-right tabular", cell: (t) => formatCount(t.findingCount) },
  { header: "Last ingestion", cell: (t) => <LastRun run={t.lastRun} /> },
];

const AZURE: ConnectionKind<TAzureTenantDto> = {
  headingId: "azure-heading",
  title: "Azure tenants",
  description:
    "Where Defender for Cloud findings come from: an app registration with Security Reader on the subscriptions to ingest. The client secret is stored encrypted and never shown again.",
  addLabel: "Add Azure tenant",
  caption: "Azure tenant connections",
  empty: { icon: <Cloud className="size-8" />, title: "No Azure tenant connected" },
  emptyHint: {
    admin: "Add one to ingest Defender for Cloud recommendations.",
    viewer: "An admin must add one before recommendations appear.",
  },
  columns: COLUMNS,
  dialogs: { Form: TenantFormDialog, Test: TenantTestDialog, Delete: DeleteTenantDialog },
};

export function AzureTenants({ isAdmin, canSync }: { isAdmin: boolean; canSync: boolean }) {
  const archived = useArchivedFilter(AZURE_LIST_FILTERS);
  const tenants = useAzureTenants(archived.filters);
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
    <ConnectionList
      kind={AZURE}
      isAdmin={isAdmin}
      archived={archived.toggle}
      list={tenants}
      nameExtra={(t) =>
        t.allowPrivateNetwork ? (
          <Badge tone="warning" className="ml-1" title="Private or loopback endpoints allowed (local emulators)">
            Private network
          </Badge>
        ) : null
      }
      rowActions={(t) =>
        canSync ? (
          <Button
            size="sm"
            variant="ghost"
            icon={<RefreshCw aria-hidden className="size-3.5" />}
            disabled={isActive(t.lastRun)}
            isLoading={sync.isPending && sync.variables?.id === t.id}
            onClick={() => startSync(t)}
            aria-label={`Sync ${t.name} now`}
          >
            Sync now
          </Button>
        ) : null
      }
    />
  );
}

function DeleteTenantDialog({ record: tenant, onClose }: DeleteDialogProps<TAzureTenantDto>) {
  const archive = useArchiveAzureTenant();
  const { toast } = useToast();
  return (
    <DeleteConnectionDialog
      record={tenant}
      onClose={onClose}
      title="Delete this Azure tenant connection?"
      description={(t) => `"${t.name}" stops syncing and its client secret is erased.`}
      isPending={archive.isPending}
      onDelete={(t) =>
        archive.mutate(t.id, {
          onSuccess: () => {
            toast({ tone: "success", title: "Connection deleted", description: "Its findings and sync history remain viewable." });
            onClose();
          },
          onError: (e) => toast({ tone: "error", title: "Could not delete the connection", description: e.message }),
        })
      }
    >
      <p className="text-sm text-muted">
        Nothing changes in Azure. The {formatCount(tenant?.findingCount ?? 0)} findings leave the recommendations lists but stay in
        PostureDesk with their tickets and history (archived, still viewable with “include removed”).
      </p>
    </DeleteConnectionDialog>
  );
}
