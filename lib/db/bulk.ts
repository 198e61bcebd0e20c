// Set-based bulk writes: one INSERT … SELECT FROM unnest($1::type[], …) ON CONFLICT per batch,
// one array parameter per column. Prisma's createMany spends ~170 µs per row in the client; this
// path is bounded by PostgreSQL instead (bench/db-bulk.ts, docs/PERFORMANCE.md).
import type pg from "pg";
import { withTransaction } from "@/lib/db";

/** PostgreSQL type of a column, as the unnest array is cast. `{ enum }` names a Prisma enum type. */
export type BulkColumnType =
  "text" | "uuid" | "int4" | "int8" | "float8" | "numeric" | "bool" | "timestamptz" | "date" | "jsonb" | "text[]" | { enum: string };

export type BulkColumn<Row> = { type: BulkColumnType; value: (row: Row) => unknown };

export type BulkUpsertOptions<Row> = {
  table: string;
  /** Column name (as in the database, i.e. the Prisma field name) → type and value getter. */
  columns: Record<string, BulkColumn<Row>>;
  /** Columns of the unique index to upsert on; omit for plain inserts. */
  conflict?: readonly string[];
  /** What a conflicting row does: update (default) or nothing. */
  onConflict?: "update" | "nothing";
  /** Columns to overwrite on conflict; default: every column not in `conflict`. */
  update?: readonly string[];
  /** Extra assignments on update, e.g. `{ updatedAt: "now()" }` (SQL written in code, never input). */
  set?: Record<string, string>;
  /** Skip rows whose updated columns already hold the same values (no write, no trigger, no bloat). */
  onlyIfChanged?: boolean;
  /** Rows per statement (default 5,000). Several batches run in one transaction. */
  batchSize?: number;
};

export type BulkResult = { inserted: number; updated: number; unchanged: number };

type Queryable = pg.Pool | pg.PoolClient | pg.Client;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function ident(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`bulkUpsert: "${name}" is not a plain SQL identifier`);
  return `"${name}"`;
}

function paramType(type: BulkColumnType): string {
  if (typeof type === "object") return `${ident(type.enum)}[]`;
  // JSON and array columns travel as text (one JSON document per row): unnest would flatten a
  // two-dimensional array, and text avoids pg's own array-literal encoding of objects.
  if (type === "jsonb" || type === "text[]") return "text[]";
  return `${type}[]`;
}

function selectExpr(name: string, type: BulkColumnType): string {
  const col = `s.${ident(name)}`;
  if (type === "jsonb") return `${col}::jsonb`;
  if (type === "text[]") return `CASE WHEN ${col} IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(${col}::jsonb)) END`;
  return col;
}

function toParam(value: unknown, type: BulkColumnType): unknown {
  if (value === null || value === undefined) return null;
  if (type === "jsonb" || type === "text[]") return JSON.stringify(value);
  if (value instanceof Date) return type === "date" ? value.toISOString().slice(0, 10) : value.toISOString();
  if (typeof value === "bigint") return value.toString();
  return value;
}

/** Builds the statement for one batch; exported for tests. */
export function bulkUpsertSql<Row>(options: BulkUpsertOptions<Row>): string {
  const names = Object.keys(options.columns);
  if (names.length === 0) throw new Error("bulkUpsert: no columns");
  const cols = names.map(ident).join(", ");
  const params = names.map((name, i) => `$${i + 1}::${paramType(options.columns[name]!.type)}`).join(", ");
  const select = names.map((name) => selectExpr(name, options.columns[name]!.type)).join(", ");
  let sql = `INSERT INTO ${ident(options.table)} AS t (${cols})\nSELECT ${select}\nFROM unnest(${params}) AS s(${cols})`;

  if (options.conflict?.length) {
    for (const key of options.conflict) {
      if (!names.includes(key)) throw new Error(`bulkUpsert: conflict column "${key}" is not among the columns`);
    }
    const target = options.conflict.map(ident).join(", ");
    const updated = options.update ?? names.filter((name) => !options.conflict!.includes(name));
    for (const name of updated) {
      if (!names.includes(name)) throw new Error(`bulkUpsert: update column "${name}" is not among the columns`);
    }
    const assignments = [
      ...updated.map((name) => `${ident(name)} = EXCLUDED.${ident(name)}`),
      ...Object.entries(options.set ?? {}).map(([name, expr]) => `${ident(name)} = ${expr}`),
    ];
    if (options.onConflict === "nothing" || assignments.length === 0) {
      sql += `\nON CONFLICT (${target}) DO NOTHING`;
    } else {
      sql += `\nON CONFLICT (${target}) DO UPDATE SET ${assignments.join(", ")}`;
      if (options.onlyIfChanged && updated.length > 0) {
        const current = updated.map((name) => `t.${ident(name)}`).join(", ");
        const incoming = updated.map((name) => `EXCLUDED.${ident(name)}`).join(", ");
        sql += `\nWHERE (${current}) IS DISTINCT FROM (${incoming})`;
      }
    }
  }
  // xmax = 0 on a freshly inserted row version, non-zero on one written by DO UPDATE.
  return (
    `WITH written AS (\n${sql}\nRETURNING (t.xmax = 0) AS is_insert\n)\n` +
    `SELECT count(*) FILTER (WHERE is_insert)::int AS inserted, count(*) FILTER (WHERE NOT is_insert)::int AS updated FROM written`
  );
}

/**
 * Inserts or upserts `rows` set-based. Rows repeating a conflict key are collapsed (last wins),
 * since one statement may not touch a row twice. Given a Pool, all batches share one transaction;
 * given a client, they run in whatever transaction the caller holds.
 */
export async function bulkUpsert<Row>(target: Queryable, rows: readonly Row[], options: BulkUpsertOptions<Row>): Promise<BulkResult> {
  const sql = bulkUpsertSql(options);
  const names = Object.keys(options.columns);
  const unique = options.conflict?.length
    ? dedupe(
        rows,
        options.conflict.map((key) => options.columns[key]!.value),
      )
    : rows;
  const total: BulkResult = { inserted: 0, updated: 0, unchanged: 0 };
  if (unique.length === 0) return total;
  const batchSize = options.batchSize ?? 5_000;

  const run = async (client: Queryable) => {
    for (let start = 0; start < unique.length; start += batchSize) {
      const batch = unique.slice(start, start + batchSize);
      const params = names.map((name) => {
        const column = options.columns[name]!;
        return batch.map((row) => toParam(column.value(row), column.type));
      });
      const result = await client.query<{ inserted: number; updated: number }>(sql, params);
      const { inserted = 0, updated = 0 } = result.rows[0] ?? {};
      total.inserted += inserted;
      total.updated += updated;
      total.unchanged += batch.length - inserted - updated;
    }
  };

  if (unique.length > batchSize && isPool(target)) {
    await withTransaction(run, target);
  } else {
    await run(target);
  }
  return total;
}

function isPool(target: Queryable): target is pg.Pool {
  return "totalCount" in target && typeof (target as pg.Pool).connect === "function";
}

function dedupe<Row>(rows: readonly Row[], keyGetters: ((row: Row) => unknown)[]): Row[] {
  const byKey = new Map<string, Row>();
  for (const row of rows) {
    const key = JSON.stringify(
      keyGetters.map((get) => {
        const value = get(row);
        return value instanceof Date ? value.toISOString() : typeof value === "bigint" ? value.toString() : value;
      }),
    );
    byKey.delete(key); // re-insert so the surviving row keeps the position of its last occurrence
    byKey.set(key, row);
  }
  return [...byKey.values()];
}
