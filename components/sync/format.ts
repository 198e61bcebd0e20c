// Small formatting helpers of the sync history (pure: unit-tested in format.test.ts).
import { formatCount } from "@/lib/format/number";
import { SYNC_ACTION_LABEL, type TSyncAction, type TSyncRunDto } from "@/lib/schemas/sync-runs";

/** 850 ms → "0.9 s", 75 s → "1 min 15 s", 2 h 5 min → "2 h 5 min". */
export function formatDuration(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 10_000) return `${(Math.round(ms / 100) / 10).toFixed(1)} s`;
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) {
    const seconds = Math.floor((ms % 60_000) / 1000);
    return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}

/** The counters a run records, in words; the prefix of a Defender ingestion's counters ("defender.") is dropped. */
const COUNT_LABELS: Record<string, string> = {
  "findings.new": "New findings",
  "findings.updated": "Findings updated",
  "findings.reappeared": "Findings reported again",
  "findings.statusChanged": "Findings whose status changed",
  assessmentsSeen: "Assessments read",
  "recommendations.written": "Recommendations saved",
  subscriptions: "Subscriptions",
  secureScores: "Secure scores read",
  "tags.resources": "Resources with tags",
  "tags.findingsUpdated": "Findings whose tags changed",
  "compliance.standards": "Regulatory standards",
  "compliance.controls": "Regulatory controls",
  "compliance.assessments": "Regulatory assessments",
  "compliance.graphBatches": "Resource Graph queries",
  "governance.inserted": "Governance assignments added",
  "governance.updated": "Governance assignments updated",
  "governance.deleted": "Governance assignments removed",
  "governance.pushed": "Governance assignments written to Defender",
  "governance.failed": "Governance assignments that failed",
  "subAssessments.received": "Vulnerability findings read",
  "subAssessments.inserted": "Vulnerability findings added",
  "subAssessments.updated": "Vulnerability findings updated",
  "subAssessments.deleted": "Vulnerability findings removed",
  "subAssessments.kept": "Vulnerability findings kept",
  "cc.results": "Configuration Compliance results",
  "cc.matched": "Configuration Compliance results matched to findings",
  "cc.links": "Configuration Compliance links",
  "cc.tasks": "Configuration Compliance remediation tasks",
  "rules.planned": "Tickets planned by rules",
  "rules.created": "Tickets created by rules",
  attempt: "Attempt",
  "tenants.busy": "Azure tenants busy ingesting",
  "requests.servicenow": "Requests to ServiceNow",
  "snapshot.subscriptions": "Subscriptions in the snapshot",
  "reconcile.actions": "Ticket changes reconciled",
  "reconcile.tickets": "Tickets reconciled",
};

const TIMING_LABELS: Record<string, string> = {
  "ingest-defender": "reading Defender",
  "ingest-servicenow": "reading ServiceNow",
  "cc-read": "reading Configuration Compliance",
  pageWrites: "saving findings",
  subAssessments: "vulnerability findings",
};

function words(path: string): string {
  const text = path
    .replace(/[._-]+/g, " ")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A run's counter in words: "defender.findings.new" → "New findings", "timings.rules" → "Time spent on rules"; unknown ones spelled out. */
export function countLabel(path: string): string {
  const key = path.replace(/^defender\./, "");
  const timing = /^timings\.(.+)$/.exec(key);
  if (timing) return `Time spent on ${TIMING_LABELS[timing[1]!] ?? words(timing[1]!).toLowerCase()}`;
  return COUNT_LABELS[key] ?? words(key);
}

export type FieldChange = { field: string; before: unknown; after: unknown };

/**
 * The fields that differ between an event's before and after (top level of objects); a value that is
 * not an object on either side is one change named "value".
 */
export function changesOf(before: unknown, after: unknown): FieldChange[] {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isObject(before) && !isObject(after)) {
    return before === null && after === null
      ? []
      : JSON.stringify(before) === JSON.stringify(after)
        ? []
        : [{ field: "value", before, after }];
  }
  const b = isObject(before) ? before : {};
  const a = isObject(after) ? after : {};
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return fields
    .filter((f) => JSON.stringify(b[f]) !== JSON.stringify(a[f]))
    .map((f) => ({ field: f, before: b[f] ?? null, after: a[f] ?? null }));
}

/** A value of a change as one short line. */
export function showValue(value: unknown): string {
  if (value === null || value === undefined || value === "") return "∅";
  if (typeof value === "string") return value;
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

const plural = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** What each action's events are counted in (one, many) and what happened to them; `{n}` stands for the count. */
const ACTION_COUNT: Partial<Record<TSyncAction, { one: string; many: string; text: string }>> = {
  created: { one: "ticket", many: "tickets", text: "{n} created" },
  updated: { one: "ticket", many: "tickets", text: "{n} updated" },
  resolved: { one: "ticket", many: "tickets", text: "{n} resolved" },
  reopened: { one: "ticket", many: "tickets", text: "{n} reopened" },
  linked: { one: "finding", many: "findings", text: "{n} linked" },
  unlinked: { one: "finding", many: "findings", text: "{n} unlinked" },
  new_finding: { one: "recommendation", many: "recommendations", text: "new findings on {n}" },
  status_changed: { one: "status change", many: "status changes", text: "{n}" },
  drift: { one: "ticket", many: "tickets", text: "{n} closed, not remediated" },
  governance_updated: { one: "governance update", many: "governance updates", text: "{n}" },
  ready_to_resolve: { one: "problem", many: "problems", text: "{n} ready to resolve" },
  not_applied: { one: "change", many: "changes", text: "{n} not applied by ServiceNow" },
  error: { one: "error", many: "errors", text: "{n}" },
};

/** One action's events in words, saying what they were about: "3 tickets created", "new findings on 80 recommendations". */
export function actionCount(action: TSyncAction, n: number): string {
  const count = ACTION_COUNT[action];
  if (!count) return `${formatCount(n)} ${SYNC_ACTION_LABEL[action].toLowerCase()}`;
  return count.text.replace("{n}", plural(n, count.one, count.many));
}

/** What a run changed, e.g. "3 tickets created · 1 ticket resolved · 2 errors" (its events per action, errors last). */
export function headlineCounts(run: Pick<TSyncRunDto, "eventCounts">, max = 4): string {
  const entries = (Object.entries(run.eventCounts) as Array<[TSyncAction, number]>)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => Number(a === "error") - Number(b === "error"));
  const text = entries
    .slice(0, max)
    .map(([action, n]) => actionCount(action, n))
    .join(" · ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A running run's progress line: "Reading assessments · 120 of 2,500 (5%)", or without a total "… · 120 so far" (never "0 of ?"). */
export function progressLine(phase: string | null, progress: { done: number; total: number; percent: number | null }): string {
  const what = phase ?? "Working";
  if (progress.total > 0)
    return `${what} · ${formatCount(progress.done)} of ${formatCount(progress.total)}${progress.percent !== null ? ` (${progress.percent}%)` : ""}`;
  return progress.done > 0 ? `${what} · ${formatCount(progress.done)} so far` : `${what}…`;
}

/** The heading of one action's tally on a run's page, saying what was counted. */
export function tallyLabel(action: TSyncAction): string {
  const labels: Partial<Record<TSyncAction, string>> = {
    created: "Tickets created",
    updated: "Tickets updated",
    resolved: "Tickets resolved",
    reopened: "Tickets reopened",
    linked: "Findings linked",
    unlinked: "Findings unlinked",
    new_finding: "Recommendations with new findings",
    status_changed: "Status changes",
    drift: "Tickets closed, not remediated",
    ready_to_resolve: "Problems ready to resolve",
    error: "Errors",
  };
  return labels[action] ?? SYNC_ACTION_LABEL[action];
}
