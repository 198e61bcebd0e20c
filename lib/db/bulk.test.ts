import { describe, expect, test } from "vitest";
import { bulkUpsertSql, type BulkUpsertOptions } from "@/lib/db/bulk";

type Row = { key: string; status: string; tags: string[]; data: object; at: Date };

const base: BulkUpsertOptions<Row> = {
  table: "Thing",
  columns: {
    key: { type: "text", value: (r) => r.key },
    status: { type: { enum: "FindingStatus" }, value: (r) => r.status },
    tags: { type: "text[]", value: (r) => r.tags },
    data: { type: "jsonb", value: (r) => r.data },
    at: { type: "timestamptz", value: (r) => r.at },
  },
};

describe("bulkUpsertSql", () => {
  test("inserts from one typed unnest array per column", () => {
    const sql = bulkUpsertSql(base);
    expect(sql).toContain('INSERT INTO "Thing" AS t ("key", "status", "tags", "data", "at")');
    expect(sql).toContain('unnest($1::text[], $2::"FindingStatus"[], $3::text[], $4::text[], $5::timestamptz[])');
    expect(sql).toContain('s."data"::jsonb');
    expect(sql).toContain('jsonb_array_elements_text(s."tags"::jsonb)');
    expect(sql).not.toContain("ON CONFLICT");
  });

  test("updates every non-key column on conflict, plus extra assignments", () => {
    const sql = bulkUpsertSql({ ...base, conflict: ["key"], set: { updatedAt: "now()" }, onlyIfChanged: true });
    expect(sql).toContain('ON CONFLICT ("key") DO UPDATE SET "status" = EXCLUDED."status", "tags" = EXCLUDED."tags"');
    expect(sql).toContain('"updatedAt" = now()');
    expect(sql).toContain('WHERE (t."status", t."tags", t."data", t."at") IS DISTINCT FROM (EXCLUDED."status"');
  });

  test("does nothing on conflict when asked to", () => {
    expect(bulkUpsertSql({ ...base, conflict: ["key"], onConflict: "nothing" })).toContain('ON CONFLICT ("key") DO NOTHING');
  });

  test("rejects identifiers that are not plain names", () => {
    expect(() => bulkUpsertSql({ ...base, table: 'Thing"; DROP TABLE x; --' })).toThrow(/plain SQL identifier/);
    expect(() => bulkUpsertSql({ ...base, columns: { "a b": { type: "text", value: () => "" } } })).toThrow(/plain SQL identifier/);
    expect(() => bulkUpsertSql({ ...base, columns: { a: { type: { enum: 'X"[]' }, value: () => "" } } })).toThrow(/plain SQL identifier/);
  });

  test("rejects conflict and update columns that are not written", () => {
    expect(() => bulkUpsertSql({ ...base, conflict: ["id"] })).toThrow(/conflict column "id"/);
    expect(() => bulkUpsertSql({ ...base, conflict: ["key"], update: ["nope"] })).toThrow(/update column "nope"/);
  });
});
