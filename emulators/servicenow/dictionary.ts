// sys_dictionary and the data policies of the emulated instance.
// - The dictionary is written from the table definitions (schema.ts) plus the profile's custom fields,
//   as the platform keeps it: one "collection" row per table, one row per column; columns every task
//   table shares are stored once under `task` (incident, problem and change_request extend task).
//   Its `mandatory` flag is informational: the platform does not apply it to web-service writes.
// - Data policies are sys_data_policy2 records with sys_data_policy_rule children. They apply to every
//   insert and update (Table API, import sets, changes made "as a user"), like the platform's default,
//   and refuse a record whose mandatory fields are empty with 403 "Data Policy Exception".
import { stableHex } from "../common/rng";
import { type RuleError } from "./business-rules";
import { CHOICES } from "./choices";
import { type ServiceNowProfile } from "./profiles";
import { type QueryContext, runQuery, type SnRecord } from "./query-engine";
import { type FieldDef, type FieldType, type ResolvedTable, TABLES } from "./schema";
import { type Store } from "./store";

const TASK_CHILDREN = ["incident", "problem", "change_request"];

/** Dictionary-level "mandatory" (form-only on the platform; never enforced for REST). */
const DICTIONARY_MANDATORY: Record<string, string[]> = { task: ["short_description"], incident: ["caller_id"] };

const INTERNAL_TYPE: Record<FieldType, string> = {
  sys_id: "GUID",
  string: "string",
  integer: "integer",
  boolean: "boolean",
  reference: "reference",
  glide_date_time: "glide_date_time",
  glide_date: "glide_date",
  journal: "journal_input",
};

function taskFieldNames(): Set<string> {
  const defs = TASK_CHILDREN.map((t) => TABLES.get(t)).filter((d) => d !== undefined);
  if (defs.length === 0) return new Set();
  const names = Object.keys(defs[0]!.fields).filter((n) => !n.startsWith("sys_") || n === "sys_class_name");
  return new Set(names.filter((n) => defs.every((d) => Object.hasOwn(d.fields, n))));
}

function hasChoices(tables: string[], element: string): boolean {
  return tables.some((t) => CHOICES[t]?.[element] !== undefined);
}

export function seedDictionary(store: Store, profile: ServiceNowProfile, at: string): void {
  const taskFields = taskFieldNames();
  const put = (table: string, element: string, values: Partial<SnRecord>) =>
    store.put("sys_dictionary", {
      sys_id: stableHex(32, "sys_dictionary", table, element),
      sys_created_on: at,
      sys_created_by: "system",
      sys_updated_on: at,
      sys_updated_by: "system",
      sys_mod_count: "0",
      name: table,
      element,
      column_label: "",
      internal_type: "",
      reference: "",
      mandatory: "false",
      max_length: "",
      read_only: "false",
      active: "true",
      default_value: "",
      choice: "",
      ...values,
    });
  const putField = (table: string, def: FieldDef, choiceTables: string[]) =>
    put(table, def.name, {
      column_label: def.label,
      internal_type: INTERNAL_TYPE[def.type],
      reference: def.reference ?? "",
      mandatory: String((DICTIONARY_MANDATORY[table] ?? []).includes(def.name)),
      max_length: String(def.maxLength ?? (def.type === "string" ? 40 : def.type === "sys_id" ? 32 : "")),
      read_only: String(def.isReadOnly === true),
      choice: hasChoices(choiceTables, def.name) ? "1" : "0",
    });

  put("task", "", { column_label: "Task", internal_type: "collection" });
  const taskDef = TABLES.get("incident");
  for (const name of taskFields) if (taskDef?.fields[name]) putField("task", taskDef.fields[name]!, TASK_CHILDREN);

  for (const def of TABLES.values()) {
    put(def.name, "", { column_label: def.label, internal_type: "collection" });
    const isTaskChild = TASK_CHILDREN.includes(def.name);
    const custom = profile.customFields[def.name] ?? [];
    for (const field of [...Object.values(def.fields), ...custom]) {
      if (isTaskChild && taskFields.has(field.name)) continue;
      putField(def.name, field, [def.name]);
    }
  }
}

export function seedDataPolicies(store: Store, profile: ServiceNowProfile, at: string): void {
  const sys = { sys_created_on: at, sys_created_by: "admin", sys_updated_on: at, sys_updated_by: "admin", sys_mod_count: "0" };
  for (const policy of profile.dataPolicies) {
    store.put("sys_data_policy2", {
      ...sys,
      sys_id: policy.sysId,
      short_description: policy.shortDescription,
      model_table: policy.table,
      active: "true",
      conditions: policy.conditions,
      inherit: "false",
      reverse_if_false: "true",
      apply_import_set: String(policy.applyImportSet),
      apply_soap: String(policy.applySoap),
      ui_policy: "true",
    });
    for (const rule of policy.rules) {
      store.put("sys_data_policy_rule", {
        ...sys,
        sys_id: stableHex(32, "sys_data_policy_rule", policy.sysId, rule.field),
        sys_data_policy: policy.sysId,
        table: policy.table,
        field: rule.field,
        mandatory: rule.mandatory,
        disabled: "ignore",
      });
    }
  }
}

/**
 * The data policies of the record's table (and inherited task policies) that it breaks: 403 with the
 * labels of the empty mandatory fields, or null. Reads the stored policy records, so a policy added or
 * switched off through the Table API or the control API takes effect at once.
 */
export function checkDataPolicies(store: Store, table: ResolvedTable, record: SnRecord, ctx: QueryContext): RuleError | null {
  const storage = table.storage;
  const tables = TASK_CHILDREN.includes(storage) ? [storage, "task"] : [storage];
  const missing: string[] = [];
  for (const policy of store.rows("sys_data_policy2")) {
    if (policy.active !== "true" || !tables.includes(policy.model_table ?? "")) continue;
    if (policy.model_table !== storage && policy.inherit !== "true") continue;
    if (policy.conditions && runQuery(table.def, [record], policy.conditions, ctx).rows.length === 0) continue;
    for (const rule of store.rows("sys_data_policy_rule")) {
      if (rule.sys_data_policy !== policy.sys_id || rule.mandatory !== "true") continue;
      const field = rule.field ?? "";
      if (!Object.hasOwn(table.def.fields, field) || (record[field] ?? "") !== "") continue;
      const label = table.def.fields[field]!.label;
      if (!missing.includes(label)) missing.push(label);
    }
  }
  if (missing.length === 0) return null;
  return {
    status: 403,
    message: "Operation Failed",
    detail: `Data Policy Exception: \n\tThe following fields are mandatory: ${missing.join(", ")}\n`,
  };
}

/** Rewrites the dictionary and data policies for `profile` (a snapshot taken under another profile). */
export function reseedMetadata(store: Store, profile: ServiceNowProfile, at: string): void {
  for (const table of ["sys_dictionary", "sys_data_policy2", "sys_data_policy_rule"]) {
    for (const rec of [...store.rows(table)]) store.remove(table, rec.sys_id!);
  }
  seedDictionary(store, profile, at);
  seedDataPolicies(store, profile, at);
}
