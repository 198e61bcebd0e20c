import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeEach, describe, expect, test } from "vitest";
import { MigrationError, migrate, migrationStatus } from "@/lib/db/migrate";
import { migrationList, NO_FILTERS } from "@/lib/db/generate-migration";
import { openSchemaEngine } from "@/lib/db/schema-engine";
import { createEmptyDatabase, type TestDatabase } from "@/test/db";

const M1 = "20240101000000_create_a";
const M2 = "20240102000000_create_b";
const M3 = "20240103000000_create_c";

let dir: string;
let database: TestDatabase;
const databases: TestDatabase[] = [];

async function writeMigration(name: string, sql: string): Promise<string> {
  await mkdir(join(dir, name), { recursive: true });
  const path = join(dir, name, "migration.sql");
  await writeFile(path, sql);
  return path;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function tables(url: string): Promise<string[]> {
  const rows = await query<{ table_name: string }>(
    url,
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
  );
  return rows.map((r) => r.table_name);
}

type Row = { migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number; logs: string | null };
const history = (url: string) =>
  query<Row>(
    url,
    `SELECT migration_name, checksum, finished_at, applied_steps_count, logs FROM "_prisma_migrations" ORDER BY migration_name`,
  );

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pd-migrate-"));
  database = await createEmptyDatabase();
  databases.push(database);
  await writeMigration(M1, 'CREATE TABLE "a" (id int PRIMARY KEY);\n');
  await writeMigration(M2, 'CREATE TABLE "b" (id int PRIMARY KEY, a_id int REFERENCES "a"(id));\nINSERT INTO "a" VALUES (1);\n');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

afterAll(async () => {
  for (const d of databases) await d.drop();
});

describe("migrate", () => {
  test("applies every migration of a fresh database in order, recording Prisma's checksum", async () => {
    const messages: string[] = [];
    const result = await migrate(database.url, { migrationsDir: dir, log: (m) => messages.push(m) });

    expect(result.applied).toEqual([M1, M2]);
    expect(await tables(database.url)).toEqual(["_prisma_migrations", "a", "b"]);
    const rows = await history(database.url);
    expect(rows.map((r) => r.migration_name)).toEqual([M1, M2]);
    for (const row of rows) {
      // Independently: sha256 of the file's bytes, lowercase hex.
      const bytes = await readFile(join(dir, row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(bytes).digest("hex"));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
      expect(row.logs).toBeNull();
    }
    expect(messages.some((m) => m.startsWith(`applied ${M1}`))).toBe(true);
  });

  test("does nothing when every migration is already applied", async () => {
    await migrate(database.url, { migrationsDir: dir });
    const before = await history(database.url);

    const result = await migrate(database.url, { migrationsDir: dir });

    expect(result.applied).toEqual([]);
    expect(await history(database.url)).toEqual(before);
  });

  test("applies only the migrations added since the last run", async () => {
    await migrate(database.url, { migrationsDir: dir });
    await writeMigration(M3, 'CREATE TABLE "c" (id int);\n');

    expect((await migrate(database.url, { migrationsDir: dir })).applied).toEqual([M3]);
    expect(await tables(database.url)).toContain("c");
  });

  test("refuses to run, naming the migration, when an applied migration's file changed", async () => {
    await migrate(database.url, { migrationsDir: dir });
    await writeMigration(M1, 'CREATE TABLE "a" (id bigint PRIMARY KEY);\n');
    await writeMigration(M3, 'CREATE TABLE "c" (id int);\n');

    const error = await migrate(database.url, { migrationsDir: dir }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MigrationError);
    expect(error).toMatchObject({ kind: "modified", migration: M1 });
    expect((error as Error).message).toMatch(new RegExp(`${M1} was modified after it was applied`));
    // Nothing else ran: the pending migration is still pending.
    expect(await tables(database.url)).not.toContain("c");
  });

  test("accepts an applied file whose only change is its line endings (git autocrlf)", async () => {
    await migrate(database.url, { migrationsDir: dir });
    await writeMigration(M1, 'CREATE TABLE "a" (id int PRIMARY KEY);\r\n');

    expect((await migrate(database.url, { migrationsDir: dir })).applied).toEqual([]);
  });

  test("refuses to run when an applied migration is missing locally", async () => {
    await migrate(database.url, { migrationsDir: dir });
    await rm(join(dir, M2), { recursive: true });

    await expect(migrate(database.url, { migrationsDir: dir })).rejects.toMatchObject({
      kind: "missing",
      migration: M2,
      message: expect.stringContaining(`${M2} is applied to the database but missing`),
    });
  });

  test("leaves the database unchanged when a migration fails midway, naming the file and the SQL error", async () => {
    await migrate(database.url, { migrationsDir: dir });
    const path = await writeMigration(
      M3,
      'CREATE TABLE "c" (id int);\nINSERT INTO "c" VALUES (1);\nINSERT INTO "no_such_table" VALUES (1);\n',
    );

    const error = (await migrate(database.url, { migrationsDir: dir }).catch((e: unknown) => e)) as MigrationError;

    expect(error).toBeInstanceOf(MigrationError);
    expect(error.kind).toBe("sql");
    expect(error.migration).toBe(M3);
    expect(error.message).toContain(path);
    expect(error.message).toContain('relation "no_such_table" does not exist');
    expect(error.message).toContain("at line 3");
    expect(await tables(database.url)).not.toContain("c");
    expect((await history(database.url)).map((r) => r.migration_name)).toEqual([M1, M2]);

    // Fixed file: it was never recorded, so it simply applies now.
    await writeMigration(M3, 'CREATE TABLE "c" (id int);\n');
    expect((await migrate(database.url, { migrationsDir: dir })).applied).toEqual([M3]);
  });

  test("runs function bodies with semicolons inside $$ as written", async () => {
    await writeMigration(
      M3,
      `CREATE FUNCTION add_one(x int) RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  x := x + 1;\n  RETURN x;\nEND;\n$$;\n`,
    );
    await migrate(database.url, { migrationsDir: dir });
    expect(await query<{ v: number }>(database.url, "SELECT add_one(41) AS v")).toEqual([{ v: 42 }]);
  });

  test("two runners started at once apply each migration exactly once", async () => {
    // A slow first migration makes the two runs overlap.
    await writeMigration(M1, 'SELECT pg_sleep(0.5);\nCREATE TABLE "a" (id int PRIMARY KEY);\n');

    const [first, second] = await Promise.all([
      migrate(database.url, { migrationsDir: dir }),
      migrate(database.url, { migrationsDir: dir }),
    ]);

    expect([first.applied, second.applied].sort((x, y) => y.length - x.length)).toEqual([[M1, M2], []]);
    expect((await history(database.url)).map((r) => r.migration_name)).toEqual([M1, M2]);
  });

  test("refuses to run over a migration Prisma recorded as failed", async () => {
    await migrate(database.url, { migrationsDir: dir });
    await query(
      database.url,
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, logs)
       VALUES ('00000000-0000-0000-0000-000000000001', 'x', '${M3}', now(), 'boom')`,
    );
    await writeMigration(M3, 'CREATE TABLE "c" (id int);\n');

    await expect(migrate(database.url, { migrationsDir: dir })).rejects.toMatchObject({ kind: "failed", migration: M3 });
  });

  test("fails clearly when the database cannot be reached", async () => {
    await expect(migrate("postgresql://postgres:x@127.0.0.1:1/none", { migrationsDir: dir })).rejects.toThrow(/Cannot connect/);
  });
});

describe("migrationStatus", () => {
  test("lists applied, pending and problem migrations without changing anything", async () => {
    expect(await migrationStatus(database.url, { migrationsDir: dir })).toEqual({ applied: [], pending: [M1, M2], problems: [] });
    expect(await tables(database.url)).toEqual([]);

    await migrate(database.url, { migrationsDir: dir });
    await writeMigration(M2, "SELECT 'edited';\n");
    await writeMigration(M3, "SELECT 3;\n");

    const status = await migrationStatus(database.url, { migrationsDir: dir });
    expect(status.applied).toEqual([M1]);
    expect(status.pending).toEqual([M3]);
    expect(status.problems).toEqual([expect.objectContaining({ migration: M2, kind: "modified" })]);
  });
});

describe("compatibility with Prisma's schema engine", () => {
  test("Prisma sees our history as its own: same table, no edited or failed migrations, nothing to apply", async () => {
    await migrate(database.url, { migrationsDir: dir });
    const prismaDb = await createEmptyDatabase();
    databases.push(prismaDb);
    const list = await migrationList(dir);

    // Prisma's engine applies the same migrations to another database, creating its own table.
    const prisma = await openSchemaEngine({ databaseUrl: prismaDb.url });
    try {
      await prisma.engine.applyMigrations({ migrationsList: list, filters: NO_FILTERS });
    } finally {
      await prisma.close();
    }
    const columns = (url: string) =>
      query(
        url,
        `SELECT column_name, data_type, character_maximum_length, is_nullable, column_default
           FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
      );
    expect(await columns(database.url)).toEqual(await columns(prismaDb.url));
    const ours = await history(database.url);
    const theirs = await history(prismaDb.url);
    expect(ours.map((r) => [r.migration_name, r.checksum, r.applied_steps_count])).toEqual(
      theirs.map((r) => [r.migration_name, r.checksum, r.applied_steps_count]),
    );

    // And Prisma's diagnosis of the database our runner migrated: in sync.
    const engine = await openSchemaEngine({ databaseUrl: database.url });
    try {
      const diagnosis = await engine.engine.diagnoseMigrationHistory({
        migrationsList: list,
        optInToShadowDatabase: false,
        filters: NO_FILTERS,
      });
      expect(diagnosis).toMatchObject({ editedMigrationNames: [], failedMigrationNames: [], hasMigrationsTable: true, history: null });
      expect((await engine.engine.applyMigrations({ migrationsList: list, filters: NO_FILTERS })).appliedMigrationNames).toEqual([]);
    } finally {
      await engine.close();
    }
  });
});
