// Evaluates a parsed encoded query against records of one table.
//
// Platform behaviours reproduced on purpose:
// - a condition on an unknown field (or with an unknown operator) is dropped, not rejected, so the query
//   matches more rows than intended (glide.invalid_query.returns_no_rows = false, the default);
// - string comparisons are case-insensitive (the platform's database collation);
// - integers (state, priority…) compare as numbers, dates as instants (a bare date means 00:00:00 UTC);
// - `!=`, `NOT IN` and `NOT LIKE` also match empty values;
// - dot-walking through reference fields (`assigned_to.email=…`, `cmdb_ci.object_id=…`) works in queries
//   and in sysparm_fields.
import { parseSnDateTime } from "./dates";
import { type Condition, type OrderBy, type ParsedQuery, parseEncodedQuery } from "./query-parser";
import { type FieldDef, type TableDef, fieldDef, resolveTable } from "./schema";

export type SnRecord = Record<string, string>;

export type QueryContext = {
  lookup(table: string, sysId: string): SnRecord | undefined;
  /** Journal text of one element of one record (for journal fields). */
  journalText(table: string, sysId: string, element: string): string;
};

export type ResolvedPath = { defs: FieldDef[]; tables: TableDef[] };

/** Resolves "field" or "ref.field.sub" against a table; undefined when any step is unknown. */
export function resolvePath(table: TableDef, path: string): ResolvedPath | undefined {
  const defs: FieldDef[] = [];
  const tables: TableDef[] = [];
  let current: TableDef | undefined = table;
  const parts = path.split(".");
  for (let i = 0; i < parts.length; i++) {
    if (!current) return undefined;
    const def = fieldDef(current, parts[i]!);
    if (!def) return undefined;
    defs.push(def);
    tables.push(current);
    if (i < parts.length - 1) {
      if (def.type !== "reference" || !def.reference) return undefined;
      current = resolveTable(def.reference)?.def;
    }
  }
  return { defs, tables };
}

/** Value at a resolved path ("" when a reference on the way is empty or dangling). */
export function valueAt(record: SnRecord, path: ResolvedPath, ctx: QueryContext): string {
  let rec: SnRecord | undefined = record;
  for (let i = 0; i < path.defs.length; i++) {
    const def = path.defs[i]!;
    if (!rec) return "";
    if (i === path.defs.length - 1) {
      if (def.type === "journal") return ctx.journalText(storageOf(path.tables[i]!), rec.sys_id ?? "", def.name);
      return rec[def.name] ?? "";
    }
    const ref: string = rec[def.name] ?? "";
    rec = ref ? ctx.lookup(def.reference!, ref) : undefined;
  }
  return "";
}

function storageOf(table: TableDef): string {
  return resolveTable(table.name)?.storage ?? table.name;
}

type Kind = "number" | "date" | "boolean" | "string";

function kindOf(def: FieldDef): Kind {
  if (def.type === "integer") return "number";
  if (def.type === "glide_date_time" || def.type === "glide_date") return "date";
  if (def.type === "boolean") return "boolean";
  return "string";
}

function normalize(kind: Kind, value: string): number | string | null {
  if (value === "") return null;
  switch (kind) {
    case "number": {
      const n = Number(value);
      return Number.isFinite(n) ? n : null;
    }
    case "date":
      return parseSnDateTime(value, "start");
    case "boolean":
      return value === "true" || value === "1" ? "true" : value === "false" || value === "0" ? "false" : value.toLowerCase();
    default:
      return value.toLowerCase();
  }
}

/** -1/0/1 comparison of two normalized values of one kind; empty (null) sorts first. */
function compareNormalized(a: number | string | null, b: number | string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : 0;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

type Predicate = (record: SnRecord) => boolean;

function compileCondition(table: TableDef, condition: Condition, ctx: QueryContext): Predicate | null {
  const path = resolvePath(table, condition.field);
  if (!path) return null;
  const kind = kindOf(path.defs[path.defs.length - 1]!);
  const get = (r: SnRecord) => valueAt(r, path, ctx);
  const target = condition.value;
  const norm = (v: string) => normalize(kind, v);
  const equals = (actual: string, expected: string) => {
    const a = norm(actual);
    const e = norm(expected);
    if (expected === "") return actual === "";
    return a !== null && e !== null && compareNormalized(a, e) === 0;
  };
  const lower = target.toLowerCase();

  switch (condition.op) {
    case "=":
      return (r) => equals(get(r), target);
    case "!=":
      return (r) => !equals(get(r), target);
    case ">":
    case ">=":
    case "<":
    case "<=": {
      const e = norm(target);
      if (e === null) return () => false;
      return (r) => {
        const a = norm(get(r));
        if (a === null) return false;
        const c = compareNormalized(a, e);
        return condition.op === ">" ? c > 0 : condition.op === ">=" ? c >= 0 : condition.op === "<" ? c < 0 : c <= 0;
      };
    }
    case "IN": {
      const items = target.split(",");
      return (r) => {
        const actual = get(r);
        return items.some((item) => equals(actual, item));
      };
    }
    case "NOT IN": {
      const items = target.split(",");
      return (r) => {
        const actual = get(r);
        return !items.some((item) => equals(actual, item));
      };
    }
    case "LIKE":
      return (r) => get(r).toLowerCase().includes(lower);
    case "NOT LIKE":
    case "NOTLIKE":
      return (r) => !get(r).toLowerCase().includes(lower);
    case "STARTSWITH":
      return (r) => get(r).toLowerCase().startsWith(lower);
    case "ENDSWITH":
      return (r) => get(r).toLowerCase().endsWith(lower);
    case "ISEMPTY":
      return (r) => get(r) === "";
    case "ISNOTEMPTY":
      return (r) => get(r) !== "";
    case "EMPTYSTRING":
      return (r) => get(r) === "";
    case "ANYTHING":
      return () => true;
    case "BETWEEN": {
      const [low, high] = target.split("@");
      const lo = norm(low ?? "");
      const hi = norm(high ?? "");
      if (lo === null || hi === null) return () => false;
      return (r) => {
        const a = norm(get(r));
        return a !== null && compareNormalized(a, lo) >= 0 && compareNormalized(a, hi) <= 0;
      };
    }
    case "SAMEAS":
    case "NSAMEAS": {
      const other = resolvePath(table, target);
      if (!other) return null;
      const isSame = (r: SnRecord) => equals(get(r), valueAt(r, other, ctx));
      return condition.op === "SAMEAS" ? isSame : (r) => !isSame(r);
    }
  }
}

export type CompiledQuery = {
  matches: Predicate;
  compare: (a: SnRecord, b: SnRecord) => number;
  /** Conditions dropped because their field or operator is unknown (the platform ignores them). */
  ignored: string[];
};

export function compileQuery(table: TableDef, parsed: ParsedQuery, ctx: QueryContext): CompiledQuery {
  const ignored = [...parsed.invalid];
  const groups = parsed.groups.map((group) =>
    group
      .map((clause) =>
        clause
          .map((condition) => {
            const predicate = compileCondition(table, condition, ctx);
            if (!predicate) ignored.push(`${condition.field}${condition.op}${condition.value}`);
            return predicate;
          })
          .filter((p): p is Predicate => p !== null),
      )
      .filter((clause) => clause.length > 0),
  );
  // A group whose every condition was dropped matches everything, exactly like an empty query.
  const matches: Predicate = groups.length === 0 ? () => true : (r) => groups.some((g) => g.every((clause) => clause.some((p) => p(r))));
  return { matches, compare: compileOrder(table, parsed.orderBy, ctx), ignored };
}

function compileOrder(table: TableDef, orderBy: OrderBy[], ctx: QueryContext): (a: SnRecord, b: SnRecord) => number {
  const keys = orderBy
    .map((o) => {
      const path = resolvePath(table, o.field);
      if (!path) return null;
      const kind = kindOf(path.defs[path.defs.length - 1]!);
      return { path, kind, sign: o.isDescending ? -1 : 1 };
    })
    .filter((k) => k !== null);
  return (a, b) => {
    for (const k of keys) {
      const c = compareNormalized(normalize(k.kind, valueAt(a, k.path, ctx)), normalize(k.kind, valueAt(b, k.path, ctx)));
      if (c !== 0) return c * k.sign;
    }
    return 0;
  };
}

/** Filters and sorts (stable: ties keep insertion order) the records of one table. */
export function runQuery(
  table: TableDef,
  records: Iterable<SnRecord>,
  query: string | null | undefined,
  ctx: QueryContext,
): { rows: SnRecord[]; ignored: string[] } {
  const compiled = compileQuery(table, parseEncodedQuery(query), ctx);
  const rows: SnRecord[] = [];
  for (const r of records) if (compiled.matches(r)) rows.push(r);
  rows.sort(compiled.compare);
  return { rows, ignored: compiled.ignored };
}
