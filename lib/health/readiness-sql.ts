import "server-only";
import { pool } from "@/lib/db";
import { env } from "@/lib/env";
import { migrationStatus } from "@/lib/db/migrate";

export type Readiness = {
  status: "ready" | "not_ready";
  database: "ok" | "unreachable";
  migrations: { applied: number; pending: string[]; problems: string[] } | null;
  error?: string;
};

/** Ready = the database answers and every local migration is applied (none modified or missing). */
export async function readiness(): Promise<Readiness> {
  try {
    await pool().query("SELECT 1");
  } catch (error) {
    return { status: "not_ready", database: "unreachable", migrations: null, error: (error as Error).message.slice(0, 200) };
  }
  const status = await migrationStatus(env().DATABASE_URL);
  const migrations = {
    applied: status.applied.length,
    pending: status.pending,
    problems: status.problems.map((p) => `${p.migration}: ${p.kind}`),
  };
  const isReady = migrations.pending.length === 0 && migrations.problems.length === 0;
  return { status: isReady ? "ready" : "not_ready", database: "ok", migrations };
}
