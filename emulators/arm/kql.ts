// A small subset of KQL, enough for the Resource Graph queries a Defender client sends:
//   <table> | where <predicate> | extend a = <expr> | project a, b = <expr> | order by <expr> [asc|desc]
//           | summarize [name =] count() [by <expr>, …] | count | limit N | take N
// Predicates: == != =~ !~ contains !contains has !has startswith !startswith endswith in !in in~ > < >= <=,
// and/or/not(), isempty/isnotempty/isnull/isnotnull; values: 'strings', "strings", numbers, true/false,
// column paths (properties.status.code, tags['env']), tostring() tolower() toupper().
// Anything else is rejected with a KqlError (the route answers 400 InvalidQuery), never silently ignored.

export class KqlError extends Error {}

type Row = Record<string, unknown>;
type Expr = (row: Row) => unknown;
type Token = { kind: "ident" | "string" | "number" | "op"; value: string };

const OPERATORS = ["!contains", "!startswith", "!has", "!in", "contains_cs", "contains", "startswith", "endswith", "has", "in~", "in"];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      let value = "";
      while (j < text.length && text[j] !== ch) {
        if (text[j] === "\\" && j + 1 < text.length) j++;
        value += text[j++];
      }
      if (j >= text.length) throw new KqlError("Unterminated string literal.");
      tokens.push({ kind: "string", value });
      i = j + 1;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (["==", "!=", "=~", "!~", ">=", "<="].includes(two)) {
      tokens.push({ kind: "op", value: two });
      i += 2;
      continue;
    }
    if (ch === "!" && /[a-z]/i.test(text[i + 1] ?? "")) {
      const m = /^![a-z_~]+/i.exec(text.slice(i))!;
      tokens.push({ kind: "ident", value: m[0] });
      i += m[0].length;
      continue;
    }
    if ("|(),.[]=<>".includes(ch)) {
      tokens.push({ kind: "op", value: ch });
      i++;
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(text.slice(i));
    if (num) {
      tokens.push({ kind: "number", value: num[0] });
      i += num[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_\-~]*(?:\(\))?/.exec(text.slice(i));
    if (!ident) throw new KqlError(`Unexpected character '${ch}'.`);
    // "project-away" and "count()" stay one token, so unsupported operators are reported by name.
    tokens.push({ kind: "ident", value: ident[0] });
    i += ident[0].length;
  }
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}
  peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }
  next(): Token {
    const t = this.tokens[this.pos++];
    if (!t) throw new KqlError("Unexpected end of query.");
    return t;
  }
  isAt(value: string): boolean {
    const t = this.peek();
    return Boolean(t && (t.kind === "op" || t.kind === "ident") && t.value.toLowerCase() === value.toLowerCase());
  }
  expect(value: string): void {
    const t = this.next();
    if (t.value.toLowerCase() !== value.toLowerCase()) throw new KqlError(`Expected '${value}' but found '${t.value}'.`);
  }
  isDone(): boolean {
    return this.pos >= this.tokens.length;
  }

  orExpr(): Expr {
    let left = this.andExpr();
    while (this.isAt("or")) {
      this.next();
      const l = left;
      const r = this.andExpr();
      left = (row) => Boolean(l(row)) || Boolean(r(row));
    }
    return left;
  }
  andExpr(): Expr {
    let left = this.comparison();
    while (this.isAt("and")) {
      this.next();
      const l = left;
      const r = this.comparison();
      left = (row) => Boolean(l(row)) && Boolean(r(row));
    }
    return left;
  }
  comparison(): Expr {
    const left = this.value();
    const t = this.peek();
    if (!t) return left;
    const op = t.value.toLowerCase();
    if (t.kind === "op" && ["==", "!=", "=~", "!~", ">", "<", ">=", "<="].includes(op)) {
      this.next();
      return compare(op, left, this.value());
    }
    if (t.kind === "ident" && OPERATORS.includes(op)) {
      this.next();
      if (op === "in" || op === "!in" || op === "in~") {
        const list = this.list();
        const isCaseless = op === "in~";
        const isNegated = op === "!in";
        return (row) => {
          const v = String(left(row) ?? "");
          const hit = list.some((x) => (isCaseless ? String(x).toLowerCase() === v.toLowerCase() : String(x) === v));
          return isNegated ? !hit : hit;
        };
      }
      return compare(op, left, this.value());
    }
    return left;
  }
  list(): unknown[] {
    this.expect("(");
    const items: unknown[] = [];
    while (!this.isAt(")")) {
      const t = this.next();
      if (t.kind !== "string" && t.kind !== "number") throw new KqlError("Only literals are supported inside in (...).");
      items.push(t.kind === "number" ? Number(t.value) : t.value);
      if (this.isAt(",")) this.next();
    }
    this.expect(")");
    return items;
  }
  value(): Expr {
    const t = this.next();
    if (t.kind === "string") return () => t.value;
    if (t.kind === "number") return () => Number(t.value);
    if (t.kind === "op" && t.value === "(") {
      const inner = this.orExpr();
      this.expect(")");
      return inner;
    }
    if (t.kind !== "ident") throw new KqlError(`Unexpected '${t.value}'.`);
    const name = t.value.toLowerCase();
    if (name === "true" || name === "false") return () => name === "true";
    if (this.isAt("(")) return this.call(name);
    return this.path(t.value);
  }
  call(name: string): Expr & { columnName?: string } {
    this.expect("(");
    const arg = this.orExpr() as Expr & { columnName?: string };
    this.expect(")");
    // tostring(properties.a.b) keeps the column name properties_a_b, as Resource Graph names it.
    const named = (fn: Expr): Expr & { columnName?: string } => Object.assign(fn, { columnName: arg.columnName });
    switch (name) {
      case "tostring":
        return named((row) => {
          const v = arg(row);
          return v === undefined || v === null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
        });
      case "tolower":
        return named((row) => String(arg(row) ?? "").toLowerCase());
      case "toupper":
        return named((row) => String(arg(row) ?? "").toUpperCase());
      case "isempty":
        return (row) => arg(row) === undefined || arg(row) === null || arg(row) === "";
      case "isnotempty":
        return (row) => !(arg(row) === undefined || arg(row) === null || arg(row) === "");
      case "isnull":
        return (row) => arg(row) === undefined || arg(row) === null;
      case "isnotnull":
        return (row) => !(arg(row) === undefined || arg(row) === null);
      case "not":
        return (row) => !arg(row);
      default:
        throw new KqlError(`The function '${name}' is not supported by the emulator.`);
    }
  }
  /** Column path; remembers a column name (a_b_c) for project/summarize. */
  path(first: string): Expr & { columnName?: string } {
    const segments = [first];
    for (;;) {
      if (this.isAt(".")) {
        this.next();
        segments.push(this.next().value);
      } else if (this.isAt("[")) {
        this.next();
        segments.push(this.next().value);
        this.expect("]");
      } else break;
    }
    const fn: Expr & { columnName?: string } = (row) => {
      let v: unknown = row;
      for (const s of segments) {
        if (v === null || typeof v !== "object") return undefined;
        v = (v as Row)[s];
      }
      return v;
    };
    fn.columnName = segments.join("_");
    return fn;
  }
}

function compare(op: string, left: Expr, right: Expr): Expr {
  return (row) => {
    const a = left(row);
    const b = right(row);
    const sa = String(a ?? "");
    const sb = String(b ?? "");
    switch (op) {
      case "==": return a === b || (typeof a !== "object" && sa === sb && a !== undefined);
      case "!=": return !(a === b || sa === sb);
      case "=~": return sa.toLowerCase() === sb.toLowerCase();
      case "!~": return sa.toLowerCase() !== sb.toLowerCase();
      case ">": return Number(a) > Number(b) || (isNaN(Number(a)) && sa > sb);
      case "<": return Number(a) < Number(b) || (isNaN(Number(a)) && sa < sb);
      case ">=": return Number(a) >= Number(b) || (isNaN(Number(a)) && sa >= sb);
      case "<=": return Number(a) <= Number(b) || (isNaN(Number(a)) && sa <= sb);
      case "contains": return sa.toLowerCase().includes(sb.toLowerCase());
      case "!contains": return !sa.toLowerCase().includes(sb.toLowerCase());
      case "contains_cs": return sa.includes(sb);
      case "has": return new RegExp(`(^|[^a-z0-9])${sb.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^a-z0-9])`, "i").test(sa);
      case "!has": return !new RegExp(`(^|[^a-z0-9])${sb.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^a-z0-9])`, "i").test(sa);
      case "startswith": return sa.toLowerCase().startsWith(sb.toLowerCase());
      case "!startswith": return !sa.toLowerCase().startsWith(sb.toLowerCase());
      case "endswith": return sa.toLowerCase().endsWith(sb.toLowerCase());
      default: throw new KqlError(`Operator '${op}' is not supported.`);
    }
  };
}

export type KqlQuery = { table: string; run(rows: Row[]): { rows: Row[]; isOrdered: boolean } };

export function parseKql(query: string): KqlQuery {
  const tokens = tokenize(query);
  const stages: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === "op" && t.value === "(") depth++;
    if (t.kind === "op" && t.value === ")") depth--;
    if (t.kind === "op" && t.value === "|" && depth === 0) stages.push([]);
    else stages[stages.length - 1]!.push(t);
  }
  const [tableTokens, ...ops] = stages;
  if (tableTokens?.length !== 1 || tableTokens[0]!.kind !== "ident") throw new KqlError("A query must start with a table name (resources or securityresources).");
  const table = tableTokens[0]!.value.toLowerCase();
  const steps = ops.map(compileStage);
  return {
    table,
    run(input) {
      let rows = input;
      let isOrdered = false;
      for (const step of steps) ({ rows, isOrdered } = step(rows, isOrdered));
      return { rows, isOrdered };
    },
  };
}

type Stage = (rows: Row[], isOrdered: boolean) => { rows: Row[]; isOrdered: boolean };

function assignments(p: Parser): Array<{ name: string; expr: Expr }> {
  const out: Array<{ name: string; expr: Expr }> = [];
  do {
    if (p.isAt(",")) p.next();
    const t = p.peek();
    if (t?.kind === "ident" && p.peek(1)?.value === "=" && p.peek(1)?.kind === "op") {
      p.next();
      p.next();
      out.push({ name: t.value, expr: p.orExpr() });
    } else {
      const expr = p.value() as Expr & { columnName?: string };
      if (!expr.columnName) throw new KqlError("Computed columns need a name: write name = expression.");
      out.push({ name: expr.columnName, expr });
    }
  } while (p.isAt(","));
  return out;
}

function compileStage(tokens: Token[]): Stage {
  const p = new Parser(tokens);
  const op = p.next().value.toLowerCase();
  let stage: Stage;
  if (op === "where") {
    const predicate = p.orExpr();
    stage = (rows, isOrdered) => ({ rows: rows.filter((r) => Boolean(predicate(r))), isOrdered });
  } else if (op === "project" || op === "extend") {
    const cols = assignments(p);
    stage = (rows, isOrdered) => ({
      rows: rows.map((r) => {
        const out: Row = op === "extend" ? { ...r } : {};
        for (const c of cols) out[c.name] = c.expr(r);
        return out;
      }),
      isOrdered,
    });
  } else if (op === "limit" || op === "take") {
    const n = Number(p.next().value);
    if (!Number.isInteger(n) || n < 0) throw new KqlError(`${op} needs a non-negative integer.`);
    stage = (rows, isOrdered) => ({ rows: rows.slice(0, n), isOrdered });
  } else if (op === "order" || op === "sort") {
    p.expect("by");
    const key = p.orExpr();
    const isDesc = p.isAt("desc") ? (p.next(), true) : (p.isAt("asc") && p.next(), false);
    stage = (rows) => ({
      rows: [...rows].sort((a, b) => {
        const x = key(a) as string | number;
        const y = key(b) as string | number;
        const c = x < y ? -1 : x > y ? 1 : 0;
        return isDesc ? -c : c;
      }),
      isOrdered: true,
    });
  } else if (op === "count") {
    stage = (rows) => ({ rows: [{ Count: rows.length }], isOrdered: true });
  } else if (op === "summarize") {
    let countName = "count_";
    if (p.peek()?.kind === "ident" && p.peek(1)?.value === "=") {
      countName = p.next().value;
      p.next();
    }
    const agg = p.next().value.toLowerCase();
    if (agg !== "count()" && agg !== "count") throw new KqlError("Only summarize count() is supported by the emulator.");
    if (agg === "count") {
      p.expect("(");
      p.expect(")");
    }
    const by = p.isAt("by") ? (p.next(), assignments(p)) : [];
    if (countName === "count_" && by.length > 0) countName = "count";
    stage = (rows) => {
      const groups = new Map<string, Row>();
      for (const r of rows) {
        const keyRow: Row = {};
        for (const b of by) keyRow[b.name] = b.expr(r);
        const key = JSON.stringify(keyRow);
        const g = groups.get(key);
        if (g) (g[countName] as number)++;
        else groups.set(key, { ...keyRow, [countName]: 1 });
      }
      return { rows: [...groups.values()], isOrdered: true };
    };
  } else {
    throw new KqlError(`The operator '${op}' is not supported by the emulator.`);
  }
  if (!p.isDone()) throw new KqlError(`Unexpected '${p.peek()!.value}' after '${op}'.`);
  return stage;
}
