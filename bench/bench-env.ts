// What every in-process benchmark sets before importing the app's modules (they read the environment
// on first use): a throwaway database, fixed bench-only keys, and Entra ID — the emulator's when the
// bench talks to it, else a placeholder no request ever reaches. And the throwaway world of the sync and
// ticket benches: a migrated embedded PostgreSQL plus the emulators, in temporary directories.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmulators } from "@/emulators/index";
import { type EmulatorManifest } from "@/emulators/manifest";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";

export type BenchEnvOptions = { manifest?: EmulatorManifest; poolMax?: number; logLevel?: string; extra?: Record<string, string> };

export function benchEnv(databaseUrl: string, options: BenchEnvOptions = {}): Record<string, string> {
  const m = options.manifest;
  return {
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_MAX: String(options.poolMax ?? 20),
    APP_URL: "http://localhost:3000",
    SESSION_SECRET: "bench-session-secret-0123456789abcdef0123456789",
    ENCRYPTION_KEY: Buffer.from("posturedesk-bench-encryption-k!!").toString("base64"),
    ...(m
      ? {
          ENTRA_AUTHORITY: m.entra.authority,
          ENTRA_CLIENT_ID: m.entra.dashboardApp.clientId,
          ENTRA_CLIENT_SECRET: m.entra.dashboardApp.clientSecret,
          ALLOW_PRIVATE_NETWORK: "true",
        }
      : {
          ENTRA_AUTHORITY: "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000",
          ENTRA_CLIENT_ID: "bench",
          ENTRA_CLIENT_SECRET: "bench",
        }),
    WORKER_IN_PROCESS: "false",
    LOG_LEVEL: options.logLevel ?? "silent",
    ...options.extra,
  };
}

/** Sets benchEnv() on this process and returns it. */
export function applyBenchEnv(databaseUrl: string, options: BenchEnvOptions = {}): Record<string, string> {
  const env = benchEnv(databaseUrl, options);
  Object.assign(process.env, env);
  return env;
}

/** A migrated embedded PostgreSQL and the emulators (seed 42), with the app configured for both. */
export async function startBenchWorld(size: "small" | "demo" | "large", options: { logLevel?: string } = {}) {
  // Separate directories: the embedded server runs as the postgres user and must reach its own.
  const pgDir = await mkdtemp(path.join(tmpdir(), "posturedesk-bench-pg-"));
  const dir = await mkdtemp(path.join(tmpdir(), "posturedesk-bench-emu-"));
  const pg = await startEmbeddedPostgres({ dataDir: pgDir, persistent: false });
  await migrate(pg.url);
  const emulators = await startEmulators({ dataDir: dir, certDir: path.resolve(".data/certs"), seed: 42, size, manifestPath: null });
  const manifest = emulators.manifest;
  applyBenchEnv(pg.url, { manifest, logLevel: options.logLevel });

  /** A call to an emulator's control API (or any of its routes), JSON in and out. */
  async function control<T>(emulator: "servicenow" | "arm", method: string, route: string, body?: unknown): Promise<T> {
    const base = emulator === "servicenow" ? manifest.servicenow.url : manifest.arm.url;
    const res = await fetch(`${base}${route}`, {
      method,
      headers: body ? { "content-type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  return {
    manifest,
    control,
    /** Stops the emulators and the database and removes their directories (close the app's pool first). */
    async stop() {
      await emulators.stop();
      await pg.stop();
      await rm(dir, { recursive: true, force: true });
      await rm(pgDir, { recursive: true, force: true });
    },
  };
}

/** An API token for a bench, owned (as every token is) by a person holding its role: a seeded User row. */
export async function benchApiToken(role: "ADMIN" | "ANALYST" | "MANAGER", name: string): Promise<string> {
  const { db } = await import("@/lib/db");
  const { createApiToken } = await import("@/lib/tokens/tokens");
  const owner = await db().user.create({
    data: { oid: crypto.randomUUID(), tenantId: "bench", name: `Bench ${role.toLowerCase()}`, role },
  });
  const { token } = await createApiToken({ type: "system", id: null, name }, { name, role, expiresInDays: 1 }, { ownerId: owner.id });
  return token;
}

/** A signed-in person's session cookie value for a bench (a User row and a server-side session, as at sign-in). */
export async function benchSession(role: "ADMIN" | "ANALYST" | "MANAGER"): Promise<string> {
  const { db } = await import("@/lib/db");
  const { openSession } = await import("@/lib/auth/sign-in");
  const oid = crypto.randomUUID();
  const user = await db().user.create({ data: { oid, tenantId: "bench", name: "Bench", role } });
  return (await openSession(user, { oid, tid: "bench" })).value;
}
