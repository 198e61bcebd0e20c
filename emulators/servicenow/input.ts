// Turns a request body into stored values, as the platform does on insert and update:
// - unknown fields and platform-owned fields (sys_*, number, priority…) are silently ignored;
// - values are stored as strings; booleans become "true"/"false"; integers that are not numbers and
//   dates that do not parse are stored empty (the platform's null), strings are cut to the field length;
// - `sysparm_input_display_value=true` accepts choice labels ("Resolved") and reference display values
//   ("Network Operations") and stores the choice value / the referenced sys_id instead;
// - journal fields (work_notes, comments) become journal entries, never stored on the record.
import { formatSnDateTime, parseSnDateTime } from "./dates";
import { choicesFor } from "./choices";
import { type QueryContext, type SnRecord } from "./query-engine";
import { type TableDef, resolveTable } from "./schema";

export type NormalizedInput = {
  values: SnRecord;
  journal: Array<{ element: string; value: string }>;
};

export type InputContext = QueryContext & {
  /** Records of a table (for display-value lookups of references). */
  rows(table: string): Iterable<SnRecord>;
};

export class InputError extends Error {
  constructor(readonly detail: string) {
    super("Exception while reading request");
    this.name = "InputError";
  }
}

/** JSON body → flat string map; throws InputError when the body is not a JSON object of scalars. */
export function bodyToStrings(body: unknown): Record<string, string> {
  if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new InputError(typeof body === "string" ? "The payload is not valid JSON." : "The payload must be a JSON object.");
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (value === null || value === undefined) out[key] = "";
    else if (typeof value === "string") out[key] = value;
    else if (typeof value === "number" || typeof value === "boolean") out[key] = String(value);
    else if (typeof value === "object" && !Array.isArray(value) && typeof (value as { value?: unknown }).value === "string") {
      // Clients that echo a `{value, link}` reference back get the value they mean.
      out[key] = (value as { value: string }).value;
    } else throw new InputError(`Field '${key}' must be a string, number or boolean.`);
  }
  return out;
}

function resolveReference(table: string, input: string, useDisplayValue: boolean, ctx: InputContext): string {
  const target = resolveTable(table);
  if (!target || input === "") return input;
  if (ctx.lookup(target.storage, input)) return input;
  if (!useDisplayValue) return input;
  const wanted = input.toLowerCase();
  for (const rec of ctx.rows(target.storage)) {
    if ((rec[target.def.displayField] ?? "").toLowerCase() === wanted) return rec.sys_id!;
  }
  // The platform keeps an unresolvable value as is (a broken reference whose display value is empty).
  return input;
}

export function normalizeInput(
  table: TableDef,
  storage: string,
  input: Record<string, string>,
  options: { useDisplayValue: boolean },
  ctx: InputContext,
): NormalizedInput {
  const result: NormalizedInput = { values: {}, journal: [] };
  for (const [name, raw] of Object.entries(input)) {
    const def = Object.hasOwn(table.fields, name) ? table.fields[name] : undefined;
    if (!def || def.isReadOnly) continue;
    let value = raw;
    const choices = choicesFor(storage, name);
    if (options.useDisplayValue && choices) {
      const byLabel = choices.find((c) => c.label.toLowerCase() === raw.trim().toLowerCase());
      if (byLabel && !choices.some((c) => c.value === raw)) value = byLabel.value;
    }
    switch (def.type) {
      case "journal":
        if (raw.trim() !== "") result.journal.push({ element: name, value: raw });
        continue;
      case "reference":
        value = resolveReference(def.reference!, value.trim(), options.useDisplayValue, ctx);
        break;
      case "integer":
        value = /^\s*-?\d+\s*$/.test(value) ? String(Number(value)) : "";
        break;
      case "boolean":
        value = ["true", "1"].includes(value.trim().toLowerCase()) ? "true" : "false";
        break;
      case "glide_date_time":
      case "glide_date": {
        const ms = value.trim() === "" ? null : parseSnDateTime(value);
        value = ms === null ? "" : def.type === "glide_date" ? formatSnDateTime(ms).slice(0, 10) : formatSnDateTime(ms);
        break;
      }
      default:
        if (def.maxLength !== undefined && value.length > def.maxLength) value = value.slice(0, def.maxLength);
    }
    result.values[name] = value;
  }
  return result;
}
