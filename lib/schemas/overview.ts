import { z } from "zod";
import { ZComplianceDay, ZScore } from "@/lib/schemas/compliance";

// GET /api/overview — the landing page's numbers, each with the view that explains it.

const ZIso = z.string().describe("ISO 8601 date-time");
const ZCount = z.number().int();
const ZRunStatus = z.enum(["queued", "running", "succeeded", "partial", "failed", "canceled"]);

export const ZOverviewSync = z.object({
  kind: z.enum(["servicenow", "azure"]),
  id: z.string().uuid(),
  name: z.string(),
  lastSyncAt: ZIso.nullable(),
  nextSyncAt: ZIso.nullable(),
  /** The latest run of this connection (or tenant), if any. */
  lastRun: z
    .object({ id: z.string().uuid(), status: ZRunStatus, queuedAt: ZIso, finishedAt: ZIso.nullable(), error: z.string().nullable() })
    .nullable(),
  modules: z.array(z.enum(["itsm", "cc"])),
});
export type TOverviewSync = z.infer<typeof ZOverviewSync>;

export const ZOverviewRun = z.object({
  id: z.string().uuid(),
  kind: z.enum(["defender_ingest", "servicenow_sync", "targeted_sync", "cc_export", "ticket_request"]),
  trigger: z.string(),
  status: ZRunStatus,
  source: z.string().describe("The connection or tenant the run belongs to"),
  queuedAt: ZIso,
  finishedAt: ZIso.nullable(),
  durationMs: ZCount.nullable(),
  changes: ZCount.describe("tickets created, updated, resolved, reopened, links made, and CC test results inserted or changed"),
  errors: ZCount,
});
export type TOverviewRun = z.infer<typeof ZOverviewRun>;

export const ZOverview = z.object({
  secureScore: ZScore.nullable(),
  scoreTrend: z.array(ZComplianceDay.pick({ day: true, scorePercent: true })),
  findings: z.object({ high: ZCount, medium: ZCount, low: ZCount, unhealthy: ZCount }),
  tickets: z.object({ open: ZCount, overdue: ZCount, drift: ZCount }),
  coverage: z.object({ unhealthy: ZCount, covered: ZCount, percent: z.number().nullable() }),
  syncs: z.array(ZOverviewSync),
  recentRuns: z.array(ZOverviewRun),
  generatedAt: ZIso,
});
export type TOverview = z.infer<typeof ZOverview>;
