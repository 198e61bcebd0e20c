// Applies prisma/migrations/*/migration.sql to a database, recording them in Prisma's own
// `_prisma_migrations` table (same columns, types and checksums), so `prisma migrate deploy` or
// `migrate status` on a machine that has Prisma's native engine agrees with what we did.
//
// Differences from Prisma, on purpose: each migration runs in one transaction together with its
// record, so a failing migration leaves the database exactly as it was (Prisma leaves a half-applied
// migration and a "failed" row that needs `migrate resolve`).
import pg from "pg";
import { randomUUID } from "node:crypto";
import { checksumMatches, readLocalMigrations, type LocalMigration } from "@/lib/db/migrations-dir";
import { redactUrl } from "@/lib/db/url";

/** Prisma's own advisory lock key: our runner and `prisma migrate` exclude each other. */
export const MIGRATION_LOCK_KEY = 72707369;

const MIGRATIONS_TABLE_DDL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export type MigrateOptions = {
  /** Defaults to prisma/migrations under the working directory. */
  migrationsDir?: string;
  log?: (message: string) => void;
  /** How long to wait for another runner holding the migration lock (default 5 minutes). */
  lockTimeoutMs?: number;
};

export type MigrationProblemKind = "modified" | "missing" | "failed";

export type MigrationProblem = { migration: string; kind: MigrationProblemKind; message: string };

export type MigrationStatus = {
  applied: string[];
  pending: string[];
  problems: MigrationProblem[];
};

export class MigrationError extends Error {
  readonly migration: string | null;
  readonly kind: MigrationProblemKind | "sql" | "lock";
  constructor(kind: MigrationError["kind"], migration: string | null, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "MigrationError";
    this.kind = kind;
    this.migration = migration;
  }
}

type AppliedRow = {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  started_at: Date;
  logs: string | null;
};

/** Applies every pending migration, in order; returns the names it applied. */
export async function migrate(databaseUrl: string, options: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const log = options.log ?? (() => {});
  const local = await readLocalMigrations(options.migrationsDir);
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "posturedesk-migrate" });
  await client.connect().catch((error: unknown) => {
    throw new MigrationError("lock", null, `Cannot connect to ${redactUrl(databaseUrl)}: ${errorText(error)}`, { cause: error });
  });
  // A dead connection must reject the pending query, not crash the process.
  client.on("error", () => {});
  try {
    await acquireLock(client, options.lockTimeoutMs ?? 5 * 60_000);
    try {
      await client.query(MIGRATIONS_TABLE_DDL);
      const rows = await readAppliedRows(client);
      const status = compare(local, rows);
      const problem = status.problems[0];
      if (problem) throw new MigrationError(problem.kind, problem.migration, problem.message);

      const applied: string[] = [];
      for (const migration of local.filter((m) => status.pending.includes(m.name))) {
        const started = Date.now();
        await applyOne(client, migration);
        applied.push(migration.name);
        log(`applied ${migration.name} (${Date.now() - started} ms)`);
      }
      if (applied.length === 0) log(`database is up to date (${local.length} migrations)`);
      return { applied };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
    }
  } finally {
    await client.end().catch(() => {});
  }
}

/** Read-only view of the database against the local migrations (for readiness checks and CLIs). */
export async function migrationStatus(databaseUrl: string, options: Pick<MigrateOptions, "migrationsDir"> = {}): Promise<MigrationStatus> {
  const local = await readLocalMigrations(options.migrationsDir);
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "posturedesk-migrate" });
  await client.connect();
  client.on("error", () => {});
  try {
    const exists = await client.query<{ exists: boolean }>(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS "exists"`);
    const rows = exists.rows[0]?.exists ? await readAppliedRows(client) : [];
    return compare(local, rows);
  } finally {
    await client.end().catch(() => {});
  }
}

async function acquireLock(client: pg.Client, timeoutMs: number): Promise<void> {
  // lock_timeout bounds the wait for the advisory lock; reset so migrations themselves are unbounded.
  await client.query(`SET lock_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
  } catch (error) {
    throw new MigrationError(
      "lock",
      null,
      `Another migration run holds the migration lock and did not finish within ${Math.round(timeoutMs / 1000)} s: ${errorText(error)}`,
      { cause: error },
    );
  } finally {
    await client.query("SET lock_timeout = 0").catch(() => {});
  }
}

async function readAppliedRows(client: pg.Client): Promise<AppliedRow[]> {
  const result = await client.query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at, started_at, logs
       FROM "_prisma_migrations" ORDER BY started_at, migration_name`,
  );
  return result.rows;
}

function compare(local: LocalMigration[], rows: AppliedRow[]): MigrationStatus {
  const byName = new Map(local.map((m) => [m.name, m]));
  const problems: MigrationProblem[] = [];
  const applied = new Set<string>();
  for (const row of rows) {
    // Rolled-back attempts stay in the table as history only (Prisma's `migrate resolve`).
    if (row.rolled_back_at) continue;
    if (!row.finished_at) {
      problems.push({
        migration: row.migration_name,
        kind: "failed",
        message:
          `Migration ${row.migration_name} started at ${row.started_at.toISOString()} and never finished ` +
          `(a failed \`prisma migrate deploy\`?). Repair the database, then mark it rolled back or applied ` +
          `with \`prisma migrate resolve\`.${row.logs ? ` Recorded error: ${row.logs}` : ""}`,
      });
      continue;
    }
    const file = byName.get(row.migration_name);
    if (!file) {
      problems.push({
        migration: row.migration_name,
        kind: "missing",
        message:
          `Migration ${row.migration_name} is applied to the database but missing from the migrations ` +
          `directory: this checkout is older than the database, or the directory was renamed.`,
      });
      continue;
    }
    if (!checksumMatches(file.sql, row.checksum)) {
      problems.push({
        migration: row.migration_name,
        kind: "modified",
        message:
          `Migration ${row.migration_name} was modified after it was applied (${file.path}: checksum ` +
          `${file.checksum}, database recorded ${row.checksum}). Restore the file and put the change in a new migration.`,
      });
      continue;
    }
    applied.add(row.migration_name);
  }
  const pending = local.filter((m) => !applied.has(m.name) && !problems.some((p) => p.migration === m.name));
  return { applied: local.filter((m) => applied.has(m.name)).map((m) => m.name), pending: pending.map((m) => m.name), problems };
}

async function applyOne(client: pg.Client, migration: LocalMigration): Promise<void> {
  const startedAt = new Date();
  await client.query("BEGIN");
  try {
    // Simple-query protocol (no parameters): the whole file runs as one multi-statement script,
    // so function bodies with semicolons inside $$ … $$ are left alone.
    await client.query(migration.sql);
    await client.query(
      `INSERT INTO "_prisma_migrations"
         (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
       VALUES ($1, $2, clock_timestamp(), $3, NULL, NULL, $4, 1)`,
      [randomUUID(), migration.checksum, migration.name, startedAt],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw new MigrationError(
      "sql",
      migration.name,
      `Migration ${migration.name} failed (${migration.path}): ${describeSqlError(error, migration.sql)}. Nothing of it was applied.`,
      {
        cause: error,
      },
    );
  }
}

/** The SQL error with the line of the file it points at, when PostgreSQL says where. */
function describeSqlError(error: unknown, sql: string): string {
  const e = error as { message?: string; position?: string; code?: string; detail?: string; hint?: string };
  let text = e.message ?? String(error);
  if (e.code) text += ` [SQLSTATE ${e.code}]`;
  const position = Number(e.position);
  if (Number.isInteger(position) && position > 0) {
    const before = sql.slice(0, position - 1);
    const line = before.split("\n").length;
    const lineText = sql.split("\n")[line - 1]?.trim() ?? "";
    text += ` at line ${line}: ${lineText}`;
  }
  if (e.detail) text += ` (detail: ${e.detail})`;
  if (e.hint) text += ` (hint: ${e.hint})`;
  return text;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
