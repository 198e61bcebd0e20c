// The tables and fields PostureDesk's own code reads and writes. The platform silently ignores unknown
// field names (in queries, sysparm_fields and bodies), so a typo would widen a query or drop a value
// without any error: the client checks every name against these lists and throws before sending.
// Fields an instance adds or an admin configures (category, cmdb_ci, contact_type, u_*…) are not listed
// here: ticket writes take them through `instanceFields`, checked against the instance's own discovered
// schema (lib/instance-schema) instead of a list of ours.
import { AppError } from "@/lib/http/errors";

const SYS = ["sys_id", "sys_created_on", "sys_created_by", "sys_updated_on", "sys_updated_by", "sys_mod_count"];

const TASK = [
  ...SYS,
  "sys_class_name",
  "number",
  "state",
  "active",
  "short_description",
  "description",
  "impact",
  "urgency",
  "priority",
  "assignment_group",
  "assigned_to",
  "opened_at",
  "opened_by",
  "due_date",
  "cmdb_ci",
  "correlation_id",
  "correlation_display",
  "work_notes",
  "comments",
  "close_notes",
  "closed_at",
  "closed_by",
];

export const SERVICENOW_FIELDS = {
  incident: [...TASK, "incident_state", "caller_id", "category", "close_code", "hold_reason", "resolved_at", "resolved_by", "reopen_count"],
  problem: [...TASK, "resolution_code", "cause_notes", "fix_notes", "resolved_at", "resolved_by"],
  change_request: [
    ...TASK,
    "type",
    "risk",
    "close_code",
    "start_date",
    "end_date",
    "implementation_plan",
    "backout_plan",
    "test_plan",
    "chg_model",
    "std_change_producer_version",
  ],
  // Configuration Compliance: read only (docs/ARCHITECTURE.md). Column names from ServiceNow's table list and
  // field labels (docs/EMULATORS.md, "Contract: Configuration Compliance").
  sn_vulc_result_group: [...TASK, "substate", "risk_rating"],
  sn_vulc_result: [
    ...SYS,
    "number",
    "source",
    "source_id",
    "result",
    "state",
    "substate",
    "risk_rating",
    "test",
    "cmdb_ci",
    "active",
    "last_found",
  ],
  sn_vulc_test: [...SYS, "number", "name", "source", "source_id", "active"],
  sn_vulc_policy: [...SYS, "name", "source", "source_id", "active"],
  sn_vulc_policy_test: [...SYS, "policy", "test"],
  sn_vulc_m2m_result_result_group: [...SYS, "group", "result"],
  sys_user: [...SYS, "user_name", "first_name", "last_name", "name", "email", "title", "active"],
  sys_user_group: [...SYS, "name", "description", "manager", "email", "active"],
  sys_user_grmember: [...SYS, "user", "group"],
  cmdb_ci: [
    ...SYS,
    "sys_class_name",
    "name",
    "object_id",
    "short_description",
    "operational_status",
    "install_status",
    "discovery_source",
    "location",
  ],
  /** Affected CIs of a task (multi-resource tickets). */
  task_ci: [...SYS, "task", "ci_item"],
  sys_choice: [...SYS, "name", "element", "value", "label", "sequence", "language", "inactive"],
  sys_journal_field: [...SYS, "name", "element", "element_id", "value"],
  sys_dictionary: [
    ...SYS,
    "name",
    "element",
    "column_label",
    "internal_type",
    "reference",
    "mandatory",
    "max_length",
    "read_only",
    "active",
    "default_value",
    "choice",
  ],
  sys_data_policy2: [
    ...SYS,
    "short_description",
    "model_table",
    "active",
    "conditions",
    "inherit",
    "reverse_if_false",
    "apply_import_set",
    "apply_soap",
    "ui_policy",
  ],
  sys_data_policy_rule: [...SYS, "sys_data_policy", "table", "field", "mandatory", "disabled"],
} as const;

export type ServiceNowTable = keyof typeof SERVICENOW_FIELDS;

/** Reference fields and the table they point to (for dot-walked names such as assigned_to.email). */
const REFERENCES: Record<string, ServiceNowTable> = {
  assignment_group: "sys_user_group",
  assigned_to: "sys_user",
  opened_by: "sys_user",
  closed_by: "sys_user",
  resolved_by: "sys_user",
  caller_id: "sys_user",
  manager: "sys_user",
  user: "sys_user",
  group: "sys_user_group",
  cmdb_ci: "cmdb_ci",
  ci_item: "cmdb_ci",
  test: "sn_vulc_test",
  policy: "sn_vulc_policy",
  sys_data_policy: "sys_data_policy2",
  result: "sn_vulc_result",
};

export function isServiceNowTable(table: string): table is ServiceNowTable {
  return Object.hasOwn(SERVICENOW_FIELDS, table);
}

function programmingError(message: string): AppError {
  // A wrong table or field name is a bug in our code, not an upstream problem: fail loudly.
  return new AppError("INTERNAL", { message });
}

export function assertTable(table: string): asserts table is ServiceNowTable {
  if (!isServiceNowTable(table)) throw programmingError(`Unknown ServiceNow table '${table}'`);
}

/** Whether `name` (possibly dot-walked) is a known field of `table`. */
export function isKnownField(table: ServiceNowTable, name: string): boolean {
  const [head, ...rest] = name.split(".");
  const fields: readonly string[] = SERVICENOW_FIELDS[table];
  if (!head || !fields.includes(head)) return false;
  if (rest.length === 0) return true;
  const target = REFERENCES[head];
  return target !== undefined && isKnownField(target, rest.join("."));
}

export function assertFields(table: ServiceNowTable, names: Iterable<string>): void {
  for (const name of names) {
    if (!isKnownField(table, name)) throw programmingError(`Unknown field '${name}' on ServiceNow table '${table}'`);
  }
}

const COLUMN = /^[a-z][a-z0-9_]{0,79}$/;

/** Instance fields (validated by the caller against the discovered schema) must at least be column names. */
export function assertColumnNames(names: Iterable<string>): void {
  for (const name of names) if (!COLUMN.test(name)) throw programmingError(`'${name}' is not a ServiceNow column name`);
}
