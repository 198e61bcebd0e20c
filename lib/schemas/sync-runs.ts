import { z } from "zod";
import { multi, ZIsoDate, ZPageQuery, ZUuid } from "@/lib/schemas/common";

// Sync history: runs (what ran, when, for which connection or tenant, how it ended, live progress) and
// their events (every change a run made, before → after). Read by /sync and by CI/SOAR tools.

export const SYNC_KINDS = ["defender_ingest", "servicenow_sync", "targeted_sync", "cc_export", "ticket_request"] as const;
export type TSyncKind = (typeof SYNC_KINDS)[number];
export const SYNC_TRIGGERS = ["manual", "schedule", "webhook", "rule", "startup", "api"] as const;
export type TSyncTrigger = (typeof SYNC_TRIGGERS)[number];
export const SYNC_STATUSES = ["queued", "running", "succeeded", "partial", "failed", "canceled"] as const;
export type TSyncStatus = (typeof SYNC_STATUSES)[number];
export const SYNC_ACTIONS = [
  "created",
  "updated",
  "resolved",
  "reopened",
  "linked",
  "unlinked",
  "skipped",
  "error",
  "new_finding",
  "status_changed",
  "removed",
  "drift",
  "governance_updated",
  "exported",
  "ready_to_resolve",
  "not_applied",
] as const;
export type TSyncAction = (typeof SYNC_ACTIONS)[number];

export const SYNC_KIND_LABEL: Record<TSyncKind, string> = {
  defender_ingest: "Defender ingestion",
  servicenow_sync: "ServiceNow sync",
  targeted_sync: "Single record (webhook)",
  cc_export: "Configuration Compliance export",
  ticket_request: "Ticket retry",
};
export const SYNC_TRIGGER_LABEL: Record<TSyncTrigger, string> = {
  manual: "Manual",
  schedule: "Schedule",
  webhook: "Webhook",
  rule: "Rule",
  startup: "Startup",
  api: "API",
};
export const SYNC_ACTION_LABEL: Record<TSyncAction, string> = {
  created: "Created",
  updated: "Updated",
  resolved: "Resolved",
  reopened: "Reopened",
  linked: "Linked",
  unlinked: "Unlinked",
  skipped: "Skipped",
  error: "Error",
  new_finding: "New finding",
  status_changed: "Status changed",
  removed: "Removed",
  drift: "Closed, not remediated",
  governance_updated: "Governance updated",
  exported: "Exported",
  ready_to_resolve: "Ready to resolve",
  not_applied: "Not applied by ServiceNow",
};

export const ZSyncRunsQuery = ZPageQuery.extend({
  connectionId: ZUuid.optional(),
  azureTenantId: ZUuid.optional(),
  status: multi(z.enum(SYNC_STATUSES)),
  kind: multi(z.enum(SYNC_KINDS)),
  trigger: multi(z.enum(SYNC_TRIGGERS)),
  /** Runs queued at or after / before this time. */
  from: ZIsoDate.optional(),
  to: ZIsoDate.optional(),
});
export type TSyncRunsQuery = z.infer<typeof ZSyncRunsQuery>;

export const ZSyncEventsQuery = ZPageQuery.extend({
  action: multi(z.enum(SYNC_ACTIONS)),
  entityType: z.string().trim().min(1).max(50).optional(),
  /** Text in the event's message or entity id. */
  q: z.string().trim().max(200).optional(),
  ticketId: ZUuid.optional(),
  findingId: ZUuid.optional(),
});
export type TSyncEventsQuery = z.infer<typeof ZSyncEventsQuery>;

/** The CSV export takes the same filters, without paging (it streams every matching event). */
export const ZSyncEventsExportQuery = ZSyncEventsQuery.omit({ page: true, pageSize: true });
export type TSyncEventsExportQuery = z.infer<typeof ZSyncEventsExportQuery>;

export type TSyncRunDto = {
  id: string;
  kind: TSyncKind;
  trigger: TSyncTrigger;
  status: TSyncStatus;
  connection: { id: string; name: string } | null;
  azureTenant: { id: string; name: string } | null;
  /** Webhook runs: the ServiceNow record they synced. */
  target: { table: string; sysId: string } | null;
  phase: string | null;
  progress: { done: number; total: number; /** 0–100, null while the total is unknown. */ percent: number | null };
  /** Numbers the run counted, flattened: { "created": 3, "defender.new_finding": 12 }. */
  counts: Record<string, number>;
  error: string | null;
  requestedBy: { type: "user" | "token" | "rule" | "system"; name: string | null } | null;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Finished: finished − started; running: so far; queued: null. */
  durationMs: number | null;
  heartbeatAt: string | null;
  isFinished: boolean;
  /** Events (changes and failures) per action. */
  eventCounts: Partial<Record<TSyncAction, number>>;
};

export type TSyncRunDetail = TSyncRunDto & {
  /** Error events of this run, and how many of them the next run will try again. */
  errors: number;
  retryableErrors: number;
  /** Items still waiting in the retry queue from this run. */
  pendingRetries: number;
  /** Whether "Retry failed items" applies: a finished connection run with failed items. */
  canRetry: boolean;
};

export type TSyncEventDto = {
  id: string;
  at: string;
  action: TSyncAction;
  entityType: string;
  entityId: string | null;
  message: string;
  before: unknown;
  after: unknown;
  isRetryable: boolean;
  ticket: { id: string; number: string; url: string } | null;
  finding: { id: string; resourceName: string; recommendationKey: string; recommendationName: string | null } | null;
};

export type TRetrySyncRunResult = { runId: string; isNew: boolean };
