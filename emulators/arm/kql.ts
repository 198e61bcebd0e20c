// A small subset of KQL, enough for the Resource Graph queries a Defender client sends:
//   <table> | where <predicate> | extend a = <expr> | project a, b = <expr> | order by <expr> [asc|desc]
//           | summarize [name =] count() [by <expr>, …] | count | limit N | take N
// Predicates: == != =~ !~ contains !contains has !has startswith !startswith endswith in !in in~ > < >= <=,
// and/or/not(), isempty/isnotempty/isnull/isnotnull; values: 'strings', "strings", numbers, true/false,
// column paths (properties.status.code, tags['env']), tostring() tolower() toupper() todatetime().
// Anything else is rejected with a KqlError (the route answers 400 InvalidQuery), never silently ignored.
import { type Expr, KqlError, Parser, type Row, type Token, tokenize } from "./kql-expressions";

export { KqlError };

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
  if (tableTokens?.length !== 1 || tableTokens[0]!.kind !== "ident")
    throw new KqlError("A query must start with a table name (resources or securityresources).");
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
