// Renders stored records as the Table API returns them: every value a string, reference fields as
// `{link, value}`, and the three `sysparm_display_value` modes:
//   false → actual values (journal fields read as "", like the platform)
//   true  → display values (choice labels, the referenced record's display field, the journal text)
//   all   → `{display_value, value}` for every field (plus `link` for references)
// `sysparm_exclude_reference_link=true` drops `link` (a reference then renders as a plain string).
import { choicesFor } from "./choices";
import { type QueryContext, type ResolvedPath, type SnRecord, resolvePath, valueAt } from "./query-engine";
import { type FieldDef, type TableDef, resolveTable } from "./schema";

export type DisplayMode = "false" | "true" | "all";

export type RenderOptions = {
  displayValue: DisplayMode;
  excludeReferenceLink: boolean;
  /** sysparm_fields; unknown names are ignored, dotted names walk references. */
  fields?: string[];
  /** scheme://host[:port] the client used, for reference links. */
  origin: string;
};

export type RenderContext = QueryContext & {
  /** Journal entries of one element of one record, newest first. */
  journalEntries(table: string, sysId: string, element?: string): SnRecord[];
  /** Full name of a user by user_name (journal authors), falling back to the user_name. */
  userDisplayName(userName: string): string;
};

function storageName(table: TableDef): string {
  return resolveTable(table.name)?.storage ?? table.name;
}

/** The display value of one stored value of a field. */
export function displayOf(table: TableDef, def: FieldDef, value: string, record: SnRecord, ctx: RenderContext): string {
  if (def.type === "journal") return journalDisplay(storageName(table), record.sys_id ?? "", def.name, ctx);
  if (value === "") return "";
  if (def.type === "reference" && def.reference) {
    const target = resolveTable(def.reference);
    if (!target) return "";
    const ref = ctx.lookup(target.storage, value);
    return ref ? (ref[target.def.displayField] ?? "") : "";
  }
  const choices = choicesFor(storageName(table), def.name);
  if (choices) return choices.find((c) => c.value === value)?.label ?? value;
  if (def.type === "integer" && /^-?\d+$/.test(value)) return Number(value).toLocaleString("en-US");
  return value;
}

/** The journal as the platform prints it: newest first, "date - Author (Label)\ntext\n\n". */
export function journalDisplay(table: string, sysId: string, element: string, ctx: RenderContext): string {
  if (!sysId) return "";
  const label = element === "work_notes" ? "Work notes" : element === "comments" ? "Additional comments" : element;
  return ctx
    .journalEntries(table, sysId, element)
    .map((e) => `${e.sys_created_on} - ${ctx.userDisplayName(e.sys_created_by ?? "")} (${label})\n${e.value}\n\n`)
    .join("");
}

type Cell = string | Record<string, string>;

function renderCell(def: FieldDef, actual: string, display: string, options: RenderOptions): Cell {
  const isReference = def.type === "reference" && def.reference !== undefined;
  const value = def.type === "journal" ? "" : actual;
  const link =
    isReference && value !== "" && !options.excludeReferenceLink
      ? `${options.origin}/api/now/table/${resolveTable(def.reference!)?.storage ?? def.reference}/${value}`
      : undefined;
  switch (options.displayValue) {
    case "false":
      return link ? { link, value } : value;
    case "true":
      return link ? { display_value: display, link } : display;
    case "all":
      return link ? { display_value: display, link, value } : { display_value: display, value };
  }
}

export function renderRecord(table: TableDef, record: SnRecord, options: RenderOptions, ctx: RenderContext): Record<string, Cell> {
  const out: Record<string, Cell> = {};
  const names = options.fields && options.fields.length > 0 ? options.fields : Object.keys(table.fields);
  for (const name of names) {
    const path: ResolvedPath | undefined = resolvePath(table, name);
    if (!path) continue;
    const def = path.defs[path.defs.length - 1]!;
    const owner = path.tables[path.tables.length - 1]!;
    const ownerRecord = ownerOf(record, path, ctx);
    const actual = valueAt(record, path, ctx);
    const display = ownerRecord ? displayOf(owner, def, def.type === "journal" ? "" : actual, ownerRecord, ctx) : "";
    out[name] = renderCell(def, actual, display, options);
  }
  return out;
}

/** The record that holds the last field of a dotted path (the record itself for a plain field). */
function ownerOf(record: SnRecord, path: ResolvedPath, ctx: QueryContext): SnRecord | undefined {
  let rec: SnRecord | undefined = record;
  for (let i = 0; i < path.defs.length - 1; i++) {
    const def = path.defs[i]!;
    const ref: string = rec?.[def.name] ?? "";
    const target = def.reference ? resolveTable(def.reference) : undefined;
    rec = ref && target ? ctx.lookup(target.storage, ref) : undefined;
  }
  return rec;
}
