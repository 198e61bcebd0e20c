// KQL expressions for the Resource Graph emulator: tokenizer, a recursive-descent parser for predicates and
// values (see kql.ts for the supported subset), and comparisons. KqlError = the query is not supported.

export class KqlError extends Error {}

export type Row = Record<string, unknown>;
export type Expr = (row: Row) => unknown;
export type Token = { kind: "ident" | "string" | "number" | "op"; value: string };

const OPERATORS = ["!contains", "!startswith", "!has", "!in", "contains_cs", "contains", "startswith", "endswith", "has", "in~", "in"];

export function tokenize(text: string): Token[] {
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

export class Parser {
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
      case "todatetime":
        // A datetime as epoch milliseconds (the comparison operators compare numbers); null when absent or unparseable, like KQL.
        return named((row) => {
          const v = arg(row);
          if (v === undefined || v === null || v === "") return null;
          const ms = v instanceof Date ? v.getTime() : Date.parse(String(v));
          return Number.isNaN(ms) ? null : ms;
        });
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
    // An ordering against a missing value (null in KQL) is never true.
    if ([">", "<", ">=", "<="].includes(op) && (a === null || a === undefined || b === null || b === undefined)) return false;
    switch (op) {
      case "==":
        return a === b || (typeof a !== "object" && sa === sb && a !== undefined);
      case "!=":
        return !(a === b || sa === sb);
      case "=~":
        return sa.toLowerCase() === sb.toLowerCase();
      case "!~":
        return sa.toLowerCase() !== sb.toLowerCase();
      case ">":
        return Number(a) > Number(b) || (isNaN(Number(a)) && sa > sb);
      case "<":
        return Number(a) < Number(b) || (isNaN(Number(a)) && sa < sb);
      case ">=":
        return Number(a) >= Number(b) || (isNaN(Number(a)) && sa >= sb);
      case "<=":
        return Number(a) <= Number(b) || (isNaN(Number(a)) && sa <= sb);
      case "contains":
        return sa.toLowerCase().includes(sb.toLowerCase());
      case "!contains":
        return !sa.toLowerCase().includes(sb.toLowerCase());
      case "contains_cs":
        return sa.includes(sb);
      case "has":
        return new RegExp(`(^|[^a-z0-9])${sb.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^a-z0-9])`, "i").test(sa);
      case "!has":
        return !new RegExp(`(^|[^a-z0-9])${sb.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^a-z0-9])`, "i").test(sa);
      case "startswith":
        return sa.toLowerCase().startsWith(sb.toLowerCase());
      case "!startswith":
        return !sa.toLowerCase().startsWith(sb.toLowerCase());
      case "endswith":
        return sa.toLowerCase().endsWith(sb.toLowerCase());
      default:
        throw new KqlError(`Operator '${op}' is not supported.`);
    }
  };
}
