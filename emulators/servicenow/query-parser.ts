// Parser for ServiceNow encoded queries (`sysparm_query`).
//
// Grammar, as the platform reads it:
//   query     := group ("^NQ" group)*                      groups are OR'ed ("new query")
//   group     := clause ("^" clause)*                      clauses are AND'ed
//   clause    := condition ("^OR" condition)*              conditions are OR'ed
//   condition := field operator value | "ORDERBY" field | "ORDERBYDESC" field | "EQ" (end marker)
// A caret inside a value is written as two carets ("^^"), so a value can never start a new condition.
// The parser knows nothing of tables: unknown fields are dropped later by the engine, like the platform.

export const OPERATORS = [
  // Longest first: "NOT LIKE" before "LIKE", ">=" before ">", "ISNOTEMPTY" before "ISEMPTY"…
  "ISNOTEMPTY",
  "ISEMPTY",
  "EMPTYSTRING",
  "ANYTHING",
  "STARTSWITH",
  "ENDSWITH",
  "NOT LIKE",
  "NOTLIKE",
  "NOT IN",
  "NSAMEAS",
  "SAMEAS",
  "BETWEEN",
  "LIKE",
  "IN",
  "!=",
  ">=",
  "<=",
  "=",
  ">",
  "<",
] as const;

export type Operator = (typeof OPERATORS)[number];

export type Condition = { field: string; op: Operator; value: string };
/** Conditions joined by ^OR. */
export type Clause = Condition[];
/** Clauses joined by ^. */
export type Group = Clause[];
export type OrderBy = { field: string; isDescending: boolean };

export type ParsedQuery = {
  /** Groups joined by ^NQ; a record matches when any group matches. */
  groups: Group[];
  orderBy: OrderBy[];
  /** Segments that are not a condition at all (kept for diagnostics; ignored like the platform). */
  invalid: string[];
};

/** Splits on single carets; "^^" is a literal caret inside the current segment. */
export function splitSegments(query: string): string[] {
  const segments: string[] = [];
  let current = "";
  for (let i = 0; i < query.length; i++) {
    const ch = query[i];
    if (ch !== "^") {
      current += ch;
      continue;
    }
    if (query[i + 1] === "^") {
      current += "^";
      i++;
      continue;
    }
    segments.push(current);
    current = "";
  }
  segments.push(current);
  return segments;
}

const FIELD = /^[a-z0-9_]+(?:\.[a-z0-9_]+)*/;

export function parseCondition(text: string): Condition | null {
  const m = FIELD.exec(text);
  if (!m) return null;
  const field = m[0];
  const rest = text.slice(field.length);
  const op = OPERATORS.find((candidate) => rest.startsWith(candidate));
  if (!op) return null;
  return { field, op, value: rest.slice(op.length) };
}

export function parseEncodedQuery(query: string | null | undefined): ParsedQuery {
  const result: ParsedQuery = { groups: [], orderBy: [], invalid: [] };
  if (!query) return result;
  let group: Group = [];
  result.groups.push(group);

  for (const raw of splitSegments(query)) {
    let segment = raw;
    if (segment === "") continue;
    if (segment === "EQ") break;
    if (segment.startsWith("ORDERBYDESC")) {
      result.orderBy.push({ field: segment.slice("ORDERBYDESC".length), isDescending: true });
      continue;
    }
    if (segment.startsWith("ORDERBY")) {
      result.orderBy.push({ field: segment.slice("ORDERBY".length), isDescending: false });
      continue;
    }
    if (segment.startsWith("GROUPBY")) continue;

    let joinsPrevious = false;
    if (segment.startsWith("NQ")) {
      group = [];
      result.groups.push(group);
      segment = segment.slice(2);
    } else if (segment.startsWith("OR")) {
      joinsPrevious = true;
      segment = segment.slice(2);
    }

    const condition = parseCondition(segment);
    if (!condition) {
      result.invalid.push(raw);
      continue;
    }
    const previous = group[group.length - 1];
    if (joinsPrevious && previous) previous.push(condition);
    else group.push([condition]);
  }
  result.groups = result.groups.filter((g) => g.length > 0);
  return result;
}
