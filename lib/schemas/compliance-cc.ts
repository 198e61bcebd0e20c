import { z } from "zod";
import { ZPageQuery } from "@/lib/schemas/common";

// Configuration Compliance as ServiceNow's Defender integration records it, read by PostureDesk: the
// per-finding view (findings API) and the manager's coverage view (/compliance/cc).

export type TCcRemediationTask = {
  number: string;
  /** The instance's label of the task state (Open, Under Investigation, In Review, Deferred, Awaiting Implementation, Resolved, Closed). */
  state: string;
  url: string;
  assignmentGroup: string | null;
};

/** A finding's CC test result (the newest one matched to it) and the remediation task holding it. */
export type TFindingCc = {
  /** Passed, Failed, Error or Unknown. */
  result: string;
  number: string;
  testName: string | null;
  updatedAt: string;
  connectionName: string;
  remediationTask: TCcRemediationTask | null;
};

export const CC_FILTERS = ["gap", "disagree", "failed", "none"] as const;
export type TCcFilter = (typeof CC_FILTERS)[number];
export const CC_FILTER_LABEL: Record<TCcFilter, string> = {
  gap: "Unhealthy in Defender, no failed CC result",
  disagree: "Failed in CC, healthy in Defender",
  failed: "Failed in CC",
  none: "No CC result",
};

export const ZCcCoverageQuery = ZPageQuery.extend({
  q: z.string().trim().max(200).optional(),
});
export type TCcCoverageQuery = z.infer<typeof ZCcCoverageQuery>;

export type TCcSubscriptionRow = {
  subscriptionId: string;
  subscriptionName: string | null;
  unhealthy: number;
  /** Unhealthy findings with a failed CC result. */
  covered: number;
  /** Unhealthy in Defender, no failed CC result: the ServiceNow integration is missing or behind. */
  gap: number;
  /** Failed (open) in CC, healthy in Defender. */
  disagree: number;
  /** Covered / unhealthy, 0–100 (null without unhealthy findings). */
  coveragePct: number | null;
};

export type TCcTaskRow = {
  id: string;
  number: string;
  state: string;
  url: string;
  assignmentGroup: string | null;
  shortDescription: string | null;
  connectionName: string;
  /** Our findings behind the task's test results (matched), and how many of them are still unhealthy. */
  findings: number;
  unhealthy: number;
  findingIds: string[];
};

export type TCcCoverage = {
  totals: { unhealthy: number; covered: number; gap: number; disagree: number; results: number; tasks: number };
  /** Per connection with CC on: when the Defender integration last delivered. */
  connections: Array<{ id: string; name: string; lastDeliveryAt: string | null; lastReadAt: string | null }>;
  subscriptions: { items: TCcSubscriptionRow[]; total: number; page: number; pageSize: number };
};

export const ZCcTasksQuery = ZPageQuery.extend({
  state: z.enum(["open", "all"]).default("open"),
});
export type TCcTasksQuery = z.infer<typeof ZCcTasksQuery>;
