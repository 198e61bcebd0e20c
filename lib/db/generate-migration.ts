// `npm run db:migration -- NAME`: writes the SQL that takes "what the existing migrations produce"
// to "what prisma/schema.prisma describes", the way `prisma migrate dev --create-only` would, but
// offline through the wasm schema engine (lib/db/schema-engine.ts).
//
// The flow mirrors Prisma's CLI: a scratch database gets the existing migrations (our runner), the
// engine's dev diagnostic replays them on a shadow database and checks the history, then
// createMigration diffs that against the schema (it reuses the diagnostic's cached result; asked
// alone, it refuses to create a shadow database through a driver adapter).
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import pg from "pg";
import type { MigrationList } from "@prisma/schema-engine-wasm";
import { migrate } from "@/lib/db/migrate";
import {
  LOCKFILE_NAME,
  MIGRATION_FILE_NAME,
  lockfileContent,
  migrationSlug,
  readLocalMigrations,
  resolveMigrationsDir,
} from "@/lib/db/migrations-dir";
import { engineCall, openSchemaEngine, type SchemaFile } from "@/lib/db/schema-engine";
import { quoteIdent, withDatabase } from "@/lib/db/url";

export const DEFAULT_SCHEMA_PATH = "prisma/schema.prisma";
export const NO_FILTERS = { externalTables: [], externalEnums: [] };

export type GenerateMigrationOptions = {
  /** Any database on the server to use; the generator works in scratch databases next to it. */
  databaseUrl: string;
  /** Free text; turned into the folder suffix like Prisma does ("Add rules" → add_rules). */
  name: string;
  schemaPath?: string;
  migrationsDir?: string;
  log?: (message: string) => void;
};

export type GenerateMigrationResult = { status: "created"; name: string; directory: string; sql: string } | { status: "no-changes" };

export async function readSchemaFiles(schemaPath = DEFAULT_SCHEMA_PATH): Promise<SchemaFile[]> {
  const path = resolve(schemaPath);
  return [{ path, content: await readFile(path, "utf8") }];
}

/** The migrations directory in the shape the schema engine takes. */
export async function migrationList(migrationsDir?: string): Promise<MigrationList> {
  const baseDir = resolveMigrationsDir(migrationsDir);
  const lockPath = join(baseDir, LOCKFILE_NAME);
  const local = await readLocalMigrations(baseDir);
  return {
    baseDir,
    lockfile: { path: LOCKFILE_NAME, content: existsSync(lockPath) ? await readFile(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: local.map((m) => ({
      path: m.name,
      migrationFile: { path: MIGRATION_FILE_NAME, content: { tag: "ok" as const, value: m.sql } },
    })),
  };
}

/** Creates a scratch database next to `databaseUrl`, runs `fn` with its URL, then drops it. */
export async function withScratchDatabase<T>(databaseUrl: string, prefix: string, fn: (url: string) => Promise<T>): Promise<T> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: databaseUrl, application_name: "posturedesk-migrate" });
  admin.on("error", () => {});
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
    try {
      return await fn(withDatabase(databaseUrl, name));
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    }
  } finally {
    await admin.end().catch(() => {});
  }
}

export async function generateMigration(options: GenerateMigrationOptions): Promise<GenerateMigrationResult> {
  const log = options.log ?? (() => {});
  const slug = migrationSlug(options.name);
  if (!slug) throw new Error(`"${options.name}" is not usable as a migration name: use letters, digits and spaces`);
  const baseDir = resolveMigrationsDir(options.migrationsDir);
  const schemaFiles = await readSchemaFiles(options.schemaPath);
  const list = await migrationList(baseDir);

  const output = await withScratchDatabase(options.databaseUrl, "posturedesk_migration_dev", async (scratchUrl) => {
    await migrate(scratchUrl, { migrationsDir: baseDir });
    const session = await openSchemaEngine({ databaseUrl: scratchUrl, schemaFiles });
    try {
      const diagnostic = await engineCall(() => session.engine.devDiagnostic({ migrationsList: list, filters: NO_FILTERS }));
      if (diagnostic.action.tag === "reset") {
        throw new Error(`The existing migrations do not replay to a consistent database: ${diagnostic.action.reason}`);
      }
      return await engineCall(() =>
        session.engine.createMigration({
          draft: false,
          migrationName: slug,
          migrationsList: list,
          schema: { files: schemaFiles },
          filters: NO_FILTERS,
        }),
      );
    } finally {
      await session.close();
    }
  });

  if (output.migrationScript === null) {
    log("no changes: the migrations already produce what the schema describes");
    return { status: "no-changes" };
  }
  const directory = join(baseDir, output.generatedMigrationName);
  if (existsSync(directory)) throw new Error(`The migration directory already exists: ${directory}`);
  await mkdir(directory, { recursive: true });
  await writeFile(join(directory, `migration.${output.extension}`), output.migrationScript, "utf8");
  await writeFile(join(baseDir, LOCKFILE_NAME), lockfileContent(output.connectorType), "utf8");
  log(`created ${join(directory, `migration.${output.extension}`)}`);
  return { status: "created", name: output.generatedMigrationName, directory, sql: output.migrationScript };
}
