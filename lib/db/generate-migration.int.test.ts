import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeEach, describe, expect, inject, test } from "vitest";
import { schemaDrift } from "@/lib/db/drift";
import { generateMigration } from "@/lib/db/generate-migration";
import { migrate } from "@/lib/db/migrate";
import { lockfileContent } from "@/lib/db/migrations-dir";
import { createEmptyDatabase, type TestDatabase } from "@/test/db";

let work: string;
let migrationsDir: string;
let schemaPath: string;
const databases: TestDatabase[] = [];

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), "pd-generate-"));
  migrationsDir = join(work, "migrations");
  schemaPath = join(work, "schema.prisma");
  await cp("prisma/migrations", migrationsDir, { recursive: true });
  await cp("prisma/schema.prisma", schemaPath);
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

afterAll(async () => {
  for (const database of databases) await database.drop();
});

async function databaseNames(): Promise<string[]> {
  const client = new pg.Client({ connectionString: inject("pgAdminUrl") });
  await client.connect();
  try {
    return (await client.query<{ datname: string }>("SELECT datname FROM pg_database")).rows.map((r) => r.datname);
  } finally {
    await client.end();
  }
}

const scratchDatabases = async () =>
  (await databaseNames()).filter((name) => name.startsWith("prisma_migrate_shadow_db_") || name.startsWith("posturedesk_migration_dev_"));

describe("generateMigration", () => {
  test("writes the SQL that adds a new model and field, which then migrates to exactly the new schema", async () => {
    const schema = await readFile(schemaPath, "utf8");
    await writeFile(
      schemaPath,
      schema.replace(/model Finding \{\n/, "model Finding {\n  triageNote String?\n") +
        "\nmodel Widget {\n  id    Int    @id @default(autoincrement())\n  label String @unique\n}\n",
    );
    const before = await readdir(migrationsDir);

    const result = await generateMigration({ databaseUrl: inject("pgAdminUrl"), name: "Add widget", schemaPath, migrationsDir });

    expect(result.status).toBe("created");
    if (result.status !== "created") return;
    expect(result.name).toMatch(/^\d{14}_add_widget$/);
    expect((await readdir(migrationsDir)).sort()).toEqual([...before, result.name].sort());
    const sql = await readFile(join(migrationsDir, result.name, "migration.sql"), "utf8");
    expect(sql).toBe(result.sql);
    expect(sql).toContain('ALTER TABLE "Finding" ADD COLUMN     "triageNote" TEXT;');
    expect(sql).toContain('CREATE TABLE "Widget"');
    expect(sql).toContain('CREATE UNIQUE INDEX "Widget_label_key" ON "Widget"("label");');
    expect(sql).not.toContain("SyncEvent"); // only the change, not the whole schema
    expect(await readFile(join(migrationsDir, "migration_lock.toml"), "utf8")).toBe(lockfileContent());

    // Round trip: all migrations, including the new one, give a database with no drift from the new schema.
    const database = await createEmptyDatabase();
    databases.push(database);
    await migrate(database.url, { migrationsDir });
    expect((await schemaDrift({ databaseUrl: database.url, schemaPath })).isEmpty).toBe(true);
    expect(await scratchDatabases()).toEqual([]);
  });

  test('says "no changes" and writes nothing when the schema matches the migrations', async () => {
    const before = await readdir(migrationsDir);

    const result = await generateMigration({ databaseUrl: inject("pgAdminUrl"), name: "nothing", schemaPath, migrationsDir });

    expect(result).toEqual({ status: "no-changes" });
    expect(await readdir(migrationsDir)).toEqual(before);
    expect(await scratchDatabases()).toEqual([]);
  });

  test("generates the first migration from an empty directory", async () => {
    const empty = join(work, "empty-migrations");

    const result = await generateMigration({ databaseUrl: inject("pgAdminUrl"), name: "init", schemaPath, migrationsDir: empty });

    expect(result.status).toBe("created");
    expect(await readdir(empty)).toEqual(expect.arrayContaining(["migration_lock.toml", expect.stringMatching(/_init$/)]));
    expect(result.status === "created" && result.sql).toContain('CREATE TABLE "SyncEvent"');
  });

  test("rejects a name that leaves no usable folder name", async () => {
    await expect(generateMigration({ databaseUrl: inject("pgAdminUrl"), name: "!!!", schemaPath, migrationsDir })).rejects.toThrow(
      /not usable as a migration name/,
    );
  });

  test("reports a schema error without leaving scratch databases behind", async () => {
    await writeFile(schemaPath, (await readFile(schemaPath, "utf8")) + "\nmodel Broken {\n  id Int @id\n  other Nope\n}\n");

    await expect(generateMigration({ databaseUrl: inject("pgAdminUrl"), name: "broken", schemaPath, migrationsDir })).rejects.toThrow(
      /Nope/,
    );
    expect(await scratchDatabases()).toEqual([]);
  });
});
