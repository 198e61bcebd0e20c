// The instance's business logic for task tables: defaults, priority lookup, state models, data policies
// and the timestamps a state change sets. Runs for the Table API, the Defender CC integration and the
// control API alike, so a ticket changed "as a user" behaves exactly like one changed by an integration.
import { choicesFor } from "./choices";
import { type SnRecord } from "./query-engine";
import { type TableDef } from "./schema";

export type Actor = { userName: string; sysId: string; name: string; roles: string[] };

export type RuleError = { status: 403; message: string; detail: string };

type StateModel = {
  initial: string;
  resolved: string[];
  closed: string[];
  canceled: string[];
  /** States in which only journal fields may still change. */
  locked: string[];
  /** state → fields that must be filled (data policy). */
  mandatory: Record<string, string[]>;
};

const STATE_MODELS: Record<string, StateModel> = {
  incident: {
    initial: "1",
    resolved: ["6"],
    closed: ["7"],
    canceled: ["8"],
    locked: ["7", "8"],
    mandatory: { "3": ["hold_reason"], "6": ["close_code", "close_notes"], "7": ["close_code", "close_notes"] },
  },
  problem: {
    initial: "101",
    resolved: ["106"],
    closed: ["107"],
    canceled: [],
    locked: ["107"],
    mandatory: { "106": ["resolution_code", "close_notes"], "107": ["resolution_code", "close_notes"] },
  },
  change_request: {
    initial: "-5",
    resolved: [],
    closed: ["3"],
    canceled: ["4"],
    locked: ["3", "4"],
    mandatory: { "3": ["close_code", "close_notes"] },
  },
  // Configuration Compliance remediation tasks: Closed cannot be reopened; no documented mandatory fields.
  sn_vulc_result_group: {
    initial: "1",
    resolved: ["101"],
    closed: ["3"],
    canceled: [],
    locked: ["3"],
    mandatory: {},
  },
};

/** Change request state model: allowed next states per change type (cancel is allowed from any open state). */
const CHANGE_FLOW: Record<string, Record<string, string[]>> = {
  normal: { "-5": ["-4"], "-4": ["-3", "-5"], "-3": ["-2", "-5"], "-2": ["-1", "-5"], "-1": ["0"], "0": ["3"] },
  standard: { "-5": ["-2"], "-2": ["-1"], "-1": ["0"], "0": ["3"] },
  emergency: { "-5": ["-3"], "-3": ["-2", "-5"], "-2": ["-1"], "-1": ["0"], "0": ["3"] },
};

/** The standard 3×3 priority lookup (impact × urgency → priority 1–5). */
export function computePriority(impact: string, urgency: string): string {
  const i = Number(impact);
  const u = Number(urgency);
  if (![1, 2, 3].includes(i) || ![1, 2, 3].includes(u)) return "5";
  return String(i + u - 1);
}

const operationFailed = (detail: string): RuleError => ({ status: 403, message: "Operation Failed", detail });

function label(table: TableDef, field: string): string {
  return table.fields[field]?.label ?? field;
}

function stateLabel(table: string, value: string): string {
  return choicesFor(table, "state")?.find((c) => c.value === value)?.label ?? value;
}

/** Values a new record gets before the caller's input is applied. */
export function insertDefaults(table: TableDef, storage: string, actor: Actor, now: string): SnRecord {
  const rec: SnRecord = {};
  for (const name of Object.keys(table.fields)) rec[name] = "";
  rec.sys_created_on = now;
  rec.sys_updated_on = now;
  rec.sys_created_by = actor.userName;
  rec.sys_updated_by = actor.userName;
  rec.sys_mod_count = "0";
  if ("active" in table.fields) rec.active = "true";
  if (table.className && "sys_class_name" in table.fields) rec.sys_class_name = table.className;
  const model = STATE_MODELS[storage];
  if (model) {
    rec.state = model.initial;
    rec.impact = "3";
    rec.urgency = "3";
    rec.opened_at = now;
    rec.opened_by = actor.sysId;
  }
  if (storage === "incident") rec.reopen_count = "0";
  if (storage === "change_request") {
    rec.type = "normal";
    rec.risk = "4";
  }
  return rec;
}

/**
 * Applies the rules to `after` (mutated) given the stored `before` (null on insert).
 * Returns an error when a data policy, the state model or a lock refuses the change.
 */
export function applyBusinessRules(
  table: TableDef,
  storage: string,
  before: SnRecord | null,
  after: SnRecord,
  actor: Actor,
  now: string,
  options: { isForced?: boolean; changedFields: Set<string> },
): RuleError | null {
  const model = STATE_MODELS[storage];
  if (!model) return null;
  const from = before?.state ?? model.initial;
  const to = after.state ?? "";

  if (before && !options.isForced && model.locked.includes(from)) {
    const nonJournal = [...options.changedFields].filter((f) => table.fields[f]?.type !== "journal");
    if (nonJournal.length > 0)
      return operationFailed(
        `ACL Exception Update Failed due to security constraints (${stateLabel(storage, from)} records are read-only)`,
      );
  }
  if (!choicesFor(storage, "state")?.some((c) => c.value === to)) {
    return operationFailed(`Invalid state value '${to}' for ${table.label}`);
  }
  if (storage === "change_request" && !options.isForced && from !== to) {
    const type = after.type || "normal";
    const flow = CHANGE_FLOW[type];
    if (!flow) return operationFailed(`Invalid change type '${type}'`);
    const isCancel = to === "4" && !model.locked.includes(from);
    if (!isCancel && !(flow[from] ?? []).includes(to)) {
      return operationFailed(`Invalid state transition for a ${type} change: ${stateLabel(storage, from)} → ${stateLabel(storage, to)}`);
    }
  }

  const missing = (model.mandatory[to] ?? []).filter((f) => !after[f]);
  if (missing.length > 0) {
    return operationFailed(
      `Data Policy Exception: \n\tThe following fields are mandatory: ${missing.map((f) => label(table, f)).join(", ")}\n`,
    );
  }

  after.priority = computePriority(after.impact ?? "", after.urgency ?? "");
  if (storage === "incident") after.incident_state = to;

  if (from !== to || !before) applyStateChange(model, storage, from, to, after, actor, now, before !== null);
  return null;
}

function applyStateChange(
  model: StateModel,
  storage: string,
  from: string,
  to: string,
  rec: SnRecord,
  actor: Actor,
  now: string,
  isUpdate: boolean,
): void {
  const isEnding = (s: string) => model.resolved.includes(s) || model.closed.includes(s) || model.canceled.includes(s);
  if (model.resolved.includes(to) && "resolved_at" in rec) {
    rec.resolved_at = now;
    if ("resolved_by" in rec) rec.resolved_by = actor.sysId;
  }
  if (model.closed.includes(to)) {
    rec.closed_at = now;
    rec.closed_by = actor.sysId;
    if ("resolved_at" in rec && !rec.resolved_at) rec.resolved_at = now;
  }
  rec.active = model.closed.includes(to) || model.canceled.includes(to) ? "false" : "true";
  // Reopen: leaving a resolved/closed state for an open one clears the resolution timestamps.
  if (isUpdate && isEnding(from) && !isEnding(to)) {
    if ("resolved_at" in rec) rec.resolved_at = "";
    if ("resolved_by" in rec) rec.resolved_by = "";
    rec.closed_at = "";
    rec.closed_by = "";
    if (storage === "incident") rec.reopen_count = String(Number(rec.reopen_count || "0") + 1);
  }
}
