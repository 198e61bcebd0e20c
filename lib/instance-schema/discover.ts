import "server-only";

// Instance discovery: what one ServiceNow instance's tables look like to PostureDesk — columns and types
// (sys_dictionary), choice lists (sys_choice) and the data policies that apply to REST writes
// (sys_data_policy2 + sys_data_policy_rule). Incident, problem and change_request extend task, so their
// dictionary rows are read under both names (the table's own win). Where the integration user may not
// read something (403, or an empty answer — list reads drop rows an ACL hides), discovery says so and
// goes on: the columns then come from one record of the table, and mandatory fields are learned from
// ServiceNow's own 403 "Data Policy Exception" answers (store.ts). Dictionary "mandatory" is reported
// but not enforced on REST writes (ServiceNow documents that only data policies are).
import { isAppError } from "@/lib/http/errors";
import { type TDiscoveredField } from "@/lib/schemas/instance-schema";
import { cellValue, q, type ServiceNowClient, type ServiceNowRecord, type ServiceNowTable } from "@/lib/servicenow";

const TASK_CHILDREN = ["incident", "problem", "change_request"];
const DICTIONARY_FIELDS = ["name", "element", "column_label", "internal_type", "reference", "mandatory", "max_length", "read_only"];

export type SourceState = "ok" | "denied" | "failed";
export type TableDiscovery = { table: string; fields: TDiscoveredField[]; notes: string[] };
export type Discovery = {
  tables: TableDiscovery[];
  sources: { dictionary: SourceState; choices: SourceState; dataPolicies: SourceState };
  /** One line per source that could not be read, for Test connection and the schema API. */
  notes: string[];
  /** Why the dictionary could not be read when the instance could not be asked (down, sign-in refused). */
  failure?: unknown;
};

type Read<T> = { state: SourceState; rows: T[]; message?: string; error?: unknown };

async function readAll(
  client: ServiceNowClient,
  table: ServiceNowTable,
  query: ReturnType<typeof q>,
  fields: string[],
): Promise<Read<ServiceNowRecord>> {
  try {
    const rows: ServiceNowRecord[] = [];
    for await (const r of client.iterate(table, { query, fields, limit: 2000, excludeReferenceLink: true })) rows.push(r);
    return { state: "ok", rows };
  } catch (error) {
    if (isAppError(error) && (error.code === "UPSTREAM_FORBIDDEN" || error.code === "UPSTREAM_NOT_FOUND")) {
      return { state: "denied", rows: [], message: error.userMessage };
    }
    return { state: "failed", rows: [], message: isAppError(error) ? error.userMessage : String(error), error };
  }
}

const bool = (r: ServiceNowRecord, f: string) => cellValue(r[f]).toLowerCase() === "true";

/** The tables a table's dictionary rows live under (the table first: its rows win). */
function lineage(table: string): string[] {
  return TASK_CHILDREN.includes(table) ? [table, "task"] : [table];
}

export async function discoverInstance(client: ServiceNowClient, tables: readonly string[]): Promise<Discovery> {
  const names = [...new Set(tables.flatMap(lineage))];
  const [dictionary, choices, policies] = await Promise.all([
    readAll(client, "sys_dictionary", q().in("name", names).isNotEmpty("element"), DICTIONARY_FIELDS),
    readAll(client, "sys_choice", q().in("name", names).eq("inactive", false).orderBy("sequence"), [
      "name",
      "element",
      "value",
      "label",
      "language",
    ]),
    readAll(client, "sys_data_policy2", q().in("model_table", names).eq("active", true), [
      "sys_id",
      "short_description",
      "model_table",
      "conditions",
      "inherit",
    ]),
  ]);
  // An empty answer is what an ACL looks like on a list read (rows it hides are left out, no 403).
  if (dictionary.state === "ok" && dictionary.rows.length === 0)
    Object.assign(dictionary, { state: "denied", message: "no rows came back (an ACL hides them)" });
  const rules =
    policies.state === "ok" && policies.rows.length > 0
      ? await readAll(
          client,
          "sys_data_policy_rule",
          q().in(
            "sys_data_policy",
            policies.rows.map((p) => cellValue(p.sys_id)),
          ),
          ["sys_data_policy", "table", "field", "mandatory"],
        )
      : { state: policies.state, rows: [] as ServiceNowRecord[], message: policies.message };

  const notes: string[] = [];
  if (dictionary.state !== "ok")
    notes.push(
      `sys_dictionary could not be read (${dictionary.message ?? dictionary.state}): columns come from a sample record; grant read access to sys_dictionary for labels, types and lengths.`,
    );
  if (choices.state !== "ok") notes.push(`sys_choice could not be read (${choices.message ?? choices.state}): choice lists are unknown.`);
  if (policies.state !== "ok" || rules.state !== "ok") {
    notes.push(
      `Data policies (sys_data_policy2, sys_data_policy_rule) could not be read (${(policies.message ?? rules.message) || "denied"}): mandatory fields are learned from ServiceNow's "Data Policy Exception" refusals.`,
    );
  }

  const result: TableDiscovery[] = [];
  for (const table of tables) {
    const own = lineage(table);
    const tableNotes: string[] = [];
    const fields = new Map<string, TDiscoveredField>();
    // Task's rows first, the table's own rows override them.
    for (const name of [...own].reverse()) {
      for (const r of dictionary.rows.filter((d) => cellValue(d.name) === name)) {
        const element = cellValue(r.element);
        const maxLength = Number(cellValue(r.max_length));
        const isDictMandatory = bool(r, "mandatory");
        fields.set(element, {
          name: element,
          label: cellValue(r.column_label) || element,
          type: cellValue(r.internal_type) || "string",
          mandatory: isDictMandatory,
          mandatorySource: isDictMandatory ? "dictionary" : null,
          ...(cellValue(r.reference) ? { reference: cellValue(r.reference) } : {}),
          ...(Number.isInteger(maxLength) && maxLength > 0 ? { maxLength } : {}),
          ...(bool(r, "read_only") ? { isReadOnly: true } : {}),
        });
      }
    }
    if (dictionary.state !== "ok" && TASK_CHILDREN.includes(table)) {
      // Column names of one record: enough to accept and validate field names.
      try {
        const page = await client.list(table as ServiceNowTable, { limit: 1, noCount: true });
        for (const name of Object.keys(page.records[0] ?? {})) {
          if (!fields.has(name)) fields.set(name, { name, label: name, type: "unknown", mandatory: false, mandatorySource: null });
        }
      } catch {
        tableNotes.push(`No record of ${table} could be read either: only learned fields are known.`);
      }
    }
    // The table's own choice list wins over task's for the same element.
    const ownChoices = new Set<string>();
    for (const name of own) {
      for (const r of choices.rows.filter((c) => cellValue(c.name) === name)) {
        const element = cellValue(r.element);
        const field = fields.get(element);
        if (!field || (name !== table && ownChoices.has(element))) continue;
        if (name === table) ownChoices.add(element);
        const list = (field.choices ??= []);
        if (!list.some((c) => c.value === cellValue(r.value)))
          list.push({ value: cellValue(r.value), label: cellValue(r.label) || cellValue(r.value) });
      }
    }
    for (const p of policies.rows) {
      const policyTable = cellValue(p.model_table);
      if (policyTable !== table && !(own.includes(policyTable) && bool(p, "inherit"))) continue;
      const title = cellValue(p.short_description) || cellValue(p.sys_id);
      const conditional = cellValue(p.conditions).trim() !== "";
      for (const r of rules.rows.filter((x) => cellValue(x.sys_data_policy) === cellValue(p.sys_id) && cellValue(x.mandatory) === "true")) {
        const name = cellValue(r.field);
        if (conditional) {
          tableNotes.push(
            `Data policy "${title}" makes ${name} mandatory only when ${cellValue(p.conditions)}: not checked before sending.`,
          );
          continue;
        }
        const field = fields.get(name) ?? { name, label: name, type: "unknown", mandatory: false, mandatorySource: null };
        fields.set(name, { ...field, mandatory: true, mandatorySource: "data_policy" });
      }
    }
    result.push({ table, fields: [...fields.values()].sort(byImportance), notes: tableNotes });
  }
  return {
    failure: dictionary.error,
    tables: result,
    sources: { dictionary: dictionary.state, choices: choices.state, dataPolicies: policies.state === "ok" ? rules.state : policies.state },
    notes,
  };
}

const RANK = { data_policy: 0, learned: 0, dictionary: 1 } as const;

/** Enforced mandatory fields first, then dictionary-mandatory, then by name. */
export function byImportance(a: TDiscoveredField, b: TDiscoveredField): number {
  const ra = a.mandatorySource ? RANK[a.mandatorySource] : 2;
  const rb = b.mandatorySource ? RANK[b.mandatorySource] : 2;
  return ra - rb || a.name.localeCompare(b.name);
}
