// Checks of field values against an instance's discovered schema (pure; shared by the connection's
// field defaults, the ticket request and the forms), and the reading of ServiceNow's
// "Data Policy Exception" refusals.
import { type TDiscoveredField } from "@/lib/schemas/instance-schema";
import { isTemplate, templateErrors } from "./templates";

export type FieldIssue = { path: string; field: string; message: string };

/** Columns the platform owns: never set by defaults or by the analyst. */
const PLATFORM_OWNED =
  /^(sys_.*|number|active|priority|opened_at|opened_by|closed_at|closed_by|resolved_at|resolved_by|correlation_id|correlation_display|state|incident_state|work_notes|comments)$/;

/** Columns PostureDesk fills from its own ticket fields and connection settings (text, severity mapping, due date, group, assignee, caller, change type). */
export const MANAGED_COLUMNS = [
  "short_description",
  "description",
  "impact",
  "urgency",
  "due_date",
  "assignment_group",
  "assigned_to",
  "caller_id",
  "type",
] as const;

/** Problems with `values` (field → constant or template) on a table whose schema is `fields`. */
export function validateFieldValues(
  table: string,
  fields: TDiscoveredField[],
  values: Record<string, string>,
  pathPrefix: string,
  options: { allowTemplates: boolean },
): FieldIssue[] {
  const byName = new Map(fields.map((f) => [f.name, f]));
  const issues: FieldIssue[] = [];
  for (const [name, value] of Object.entries(values)) {
    const path = `${pathPrefix}.${name}`;
    const field = byName.get(name);
    if (!field) {
      issues.push({ path, field: name, message: `${table} has no field "${name}" on this ServiceNow instance` });
      continue;
    }
    if ((MANAGED_COLUMNS as readonly string[]).includes(name)) {
      issues.push({
        path,
        field: name,
        message: `${name} (${field.label}) is filled by PostureDesk from the ticket form and the connection's settings; set it there`,
      });
      continue;
    }
    if (field.isReadOnly || PLATFORM_OWNED.test(name)) {
      issues.push({
        path,
        field: name,
        message: `${name} (${field.label}) is set by ServiceNow or PostureDesk and cannot be given a value`,
      });
      continue;
    }
    if (isTemplate(value)) {
      if (!options.allowTemplates) {
        issues.push({ path, field: name, message: `${name} (${field.label}): templates are only allowed in field defaults` });
        continue;
      }
      for (const message of templateErrors(value)) issues.push({ path, field: name, message: `${name} (${field.label}) ${message}` });
      if (field.choices?.length)
        issues.push({ path, field: name, message: `${name} (${field.label}) is a choice list: give one of its values, not a template` });
      continue;
    }
    if (field.choices?.length && value !== "" && !field.choices.some((c) => c.value === value)) {
      const allowed = field.choices
        .slice(0, 12)
        .map((c) => c.value)
        .join(", ");
      issues.push({
        path,
        field: name,
        message: `${name} (${field.label}) must be one of the instance's choices: ${allowed}${field.choices.length > 12 ? ", …" : ""}`,
      });
      continue;
    }
    if (field.maxLength !== undefined && field.maxLength > 0 && value.length > field.maxLength) {
      issues.push({
        path,
        field: name,
        message: `${name} (${field.label}) is longer than the instance allows (${field.maxLength} characters)`,
      });
    }
  }
  return issues;
}

/** Fields ServiceNow refuses a REST insert without (data policy or learned) that `filled` leaves empty. */
export function missingMandatory(fields: TDiscoveredField[], filled: Record<string, unknown>): TDiscoveredField[] {
  return fields.filter((f) => (f.mandatorySource === "data_policy" || f.mandatorySource === "learned") && isEmpty(filled[f.name]));
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}

/**
 * The field labels a "Data Policy Exception" names ("…The following fields are mandatory: Category,
 * Business service"), or null when the text is not such a refusal. The wording past the prefix is
 * observed, not documented: anything after "mandatory:" up to the end of the line is taken.
 */
export function parseDataPolicyException(text: string | null | undefined): string[] | null {
  if (!text || !/Data Policy Exception/i.test(text)) return null;
  const m = /mandatory\s*:\s*([^\n]+)/i.exec(text);
  if (!m) return [];
  return m[1]!
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A label → its column: a known field with that label, else `u_<snake>` / `<snake>` among `columns`, else `<snake>`. */
export function columnForLabel(label: string, fields: TDiscoveredField[], columns: readonly string[] = []): string {
  const wanted = label.trim().toLowerCase();
  const known = fields.find((f) => f.label.toLowerCase() === wanted || f.name === wanted);
  if (known) return known.name;
  const snake = wanted.replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
  if (columns.includes(snake)) return snake;
  if (columns.includes(`u_${snake}`)) return `u_${snake}`;
  return snake;
}
