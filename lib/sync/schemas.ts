import { z } from "zod";

// Sync engine API shapes (no server-only imports: the connection page's UI imports the types).

export const ZRunSyncResponse = z.object({
  runId: z.string().uuid(),
  /** False when a run of the same kind was already queued and is answered instead (a double click). */
  isNew: z.boolean(),
});
export type TRunSyncResponse = z.infer<typeof ZRunSyncResponse>;

const ZRunSummary = z.object({
  id: z.string().uuid(),
  kind: z.string(),
  trigger: z.string(),
  status: z.string(),
  phase: z.string().nullable(),
  progressDone: z.number().int(),
  progressTotal: z.number().int(),
  queuedAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
});
export type TRunSummary = z.infer<typeof ZRunSummary>;

/** GET /api/connections/{id}/sync — what the connection page shows about its sync. */
export const ZConnectionSyncStatus = z.object({
  connectionId: z.string().uuid(),
  syncIntervalMinutes: z.number().int(),
  lastSyncAt: z.string().nullable(),
  nextSyncAt: z.string().nullable(),
  watermark: z.string().nullable(),
  lastRun: ZRunSummary.nullable(),
  activeRun: ZRunSummary.nullable(),
  webhook: z.object({
    isConfigured: z.boolean(),
    /** The address ServiceNow's REST message must POST to. */
    url: z.string(),
    lastReceivedAt: z.string().nullable(),
  }),
  /** Items that failed and will be tried again by the next run. */
  pendingRetries: z.number().int(),
});
export type TConnectionSyncStatus = z.infer<typeof ZConnectionSyncStatus>;

/** What the ServiceNow business rule posts (docs/OPERATIONS.md); only the record's identity is trusted. */
export const ZWebhookPayload = z
  .object({
    table: z.enum(["incident", "problem", "change_request", "sn_vulc_result_group"]),
    sys_id: z.string().regex(/^[0-9a-f]{32}$/, "must be a ServiceNow sys_id"),
    number: z.string().max(40).optional(),
    correlation_id: z.string().max(100).optional(),
    sys_updated_on: z.string().max(40).optional(),
  })
  .passthrough();

export const ZWebhookResponse = z.object({
  status: z.enum(["queued", "ignored"]),
  runId: z.string().uuid().nullable(),
  reason: z.string().optional(),
});
export type TWebhookResponse = z.infer<typeof ZWebhookResponse>;
