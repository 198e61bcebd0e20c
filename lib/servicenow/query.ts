// Builder for ServiceNow encoded queries (sysparm_query).
//
//   q().eq("active", true).startsWith("correlation_id", prefix).gte("sys_updated_on", since)
//     .orderBy("sys_updated_on").toString("incident")
//
// Values are escaped: a caret is doubled ("^^"), which the platform reads as a literal caret, so a value
// can never start a new condition (`^NQ…` injection). IN lists cannot escape commas, so a list item with
// a comma is refused. Field names are checked against the table's known fields when the query is
// rendered for a table (toString(table), or by the client), because the platform ignores unknown
// fields and the query would silently match more rows.
import { AppError } from "@/lib/http/errors";
import { formatServiceNowDateTime } from "./dates";
import { assertFields, type ServiceNowTable } from "./fields";

export type QueryValue = string | number | boolean | Date;

type Term =
  | { kind: "condition"; field: string; op: string; value: string; join: "^" | "^OR" | "^NQ" }
  | { kind: "order"; field: string; isDescending: boolean };

const FIELD_NAME = /^[a-z0-9_]+(?:\.[a-z0-9_]+)*$/;

function encodeValue(value: QueryValue): string {
  if (value instanceof Date) return formatServiceNowDateTime(value);
  const text = String(value);
  if (/[\r\n]/.test(text)) throw new AppError("INTERNAL", { message: "ServiceNow query values cannot contain line breaks" });
  return text.replaceAll("^", "^^");
}

export class ServiceNowQuery {
  private readonly terms: Term[] = [];
  private nextJoin: "^" | "^OR" | "^NQ" = "^";

  private add(field: string, op: string, value = ""): this {
    if (!FIELD_NAME.test(field)) throw new AppError("INTERNAL", { message: `Invalid ServiceNow field name '${field}'` });
    const isFirstCondition = !this.terms.some((t) => t.kind === "condition");
    if (isFirstCondition && this.nextJoin !== "^") throw new AppError("INTERNAL", { message: "or()/newQuery() must follow a condition" });
    this.terms.push({ kind: "condition", field, op, value, join: this.nextJoin });
    this.nextJoin = "^";
    return this;
  }

  eq(field: string, value: QueryValue): this {
    return this.add(field, "=", encodeValue(value));
  }
  ne(field: string, value: QueryValue): this {
    return this.add(field, "!=", encodeValue(value));
  }
  gt(field: string, value: QueryValue): this {
    return this.add(field, ">", encodeValue(value));
  }
  gte(field: string, value: QueryValue): this {
    return this.add(field, ">=", encodeValue(value));
  }
  lt(field: string, value: QueryValue): this {
    return this.add(field, "<", encodeValue(value));
  }
  lte(field: string, value: QueryValue): this {
    return this.add(field, "<=", encodeValue(value));
  }
  in(field: string, values: readonly QueryValue[]): this {
    return this.add(field, "IN", encodeList(values));
  }
  notIn(field: string, values: readonly QueryValue[]): this {
    return this.add(field, "NOT IN", encodeList(values));
  }
  startsWith(field: string, value: QueryValue): this {
    return this.add(field, "STARTSWITH", encodeValue(value));
  }
  endsWith(field: string, value: QueryValue): this {
    return this.add(field, "ENDSWITH", encodeValue(value));
  }
  like(field: string, value: QueryValue): this {
    return this.add(field, "LIKE", encodeValue(value));
  }
  notLike(field: string, value: QueryValue): this {
    return this.add(field, "NOT LIKE", encodeValue(value));
  }
  isEmpty(field: string): this {
    return this.add(field, "ISEMPTY");
  }
  isNotEmpty(field: string): this {
    return this.add(field, "ISNOTEMPTY");
  }
  /** The next condition is OR'ed with the previous one (`^OR`). */
  or(): this {
    this.nextJoin = "^OR";
    return this;
  }
  /** The next condition starts a new OR'ed group (`^NQ`): (everything before) OR (what follows). */
  newQuery(): this {
    this.nextJoin = "^NQ";
    return this;
  }
  orderBy(field: string): this {
    this.terms.push({ kind: "order", field, isDescending: false });
    return this;
  }
  orderByDesc(field: string): this {
    this.terms.push({ kind: "order", field, isDescending: true });
    return this;
  }

  /** Field names used, for validation. */
  fields(): string[] {
    return this.terms.map((t) => t.field);
  }

  /** The encoded query; with a table, field names are checked first. */
  toString(table?: ServiceNowTable): string {
    if (this.nextJoin !== "^") throw new AppError("INTERNAL", { message: "or()/newQuery() must be followed by a condition" });
    if (table) assertFields(table, this.fields());
    const parts: string[] = [];
    for (const t of this.terms) {
      const text = t.kind === "condition" ? `${t.field}${t.op}${t.value}` : `${t.isDescending ? "ORDERBYDESC" : "ORDERBY"}${t.field}`;
      if (parts.length === 0) parts.push(text);
      else parts.push(t.kind === "condition" ? `${t.join}${text}` : `^${text}`);
    }
    return parts.join("");
  }
}

function encodeList(values: readonly QueryValue[]): string {
  if (values.length === 0) throw new AppError("INTERNAL", { message: "IN / NOT IN need at least one value" });
  return values
    .map((v) => {
      const text = encodeValue(v);
      if (text.includes(",")) throw new AppError("INTERNAL", { message: "IN / NOT IN values cannot contain a comma" });
      return text;
    })
    .join(",");
}

/** How far before a watermark an incremental read starts again: records committed late with an earlier sys_updated_on. */
export const WATERMARK_OVERLAP_MS = 5 * 60_000;
/** Values per `IN` query (sys_ids and the like): keeps the URL short. */
export const IN_BATCH = 100;

export function q(): ServiceNowQuery {
  return new ServiceNowQuery();
}
