// Setup for bench/tickets.ts: a throwaway embedded PostgreSQL (migrated), the emulators (seed 42,
// size demo: ~1,700 unhealthy findings), the app's configuration pointing at both, findings read from
// the ARM emulator, a ServiceNow connection and an analyst API token.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { NextRequest } from "next/server";
import { startEmulators } from "@/emulators/index";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";

export type BenchEnv = Awaited<ReturnType<typeof setUp>>;

export async function setUp(options: { size: "small" | "demo" | "large" }) {
  // Separate directories: the embedded server runs as the postgres user and must reach its own.
  const pgDir = await mkdtemp(path.join(tmpdir(), "posturedesk-bench-pg-"));
  const dir = await mkdtemp(path.join(tmpdir(), "posturedesk-bench-emu-"));
  const pg = await startEmbeddedPostgres({ dataDir: pgDir, persistent: false });
  await migrate(pg.url);
  const emulators = await startEmulators({ dataDir: dir, certDir: path.resolve(".data/certs"), seed: 42, size: options.size, manifestPath: null });
  const m = emulators.manifest;
  Object.assign(process.env, {
    NODE_ENV: "production",
    DATABASE_URL: pg.url,
    DATABASE_POOL_MAX: "20",
    APP_URL: "http://localhost:3000",
    SESSION_SECRET: "bench-session-secret-0123456789abcdef0123456789",
    ENCRYPTION_KEY: Buffer.from("posturedesk-bench-encryption-k!!").toString("base64"),
    ENTRA_AUTHORITY: m.entra.authority,
    ENTRA_CLIENT_ID: m.entra.dashboardApp.clientId,
    ENTRA_CLIENT_SECRET: m.entra.dashboardApp.clientSecret,
    ALLOW_PRIVATE_NETWORK: "true",
    WORKER_IN_PROCESS: "false",
    LOG_LEVEL: "silent",
  });
  // Imported after the environment is set: these modules read it on first use.
  const { seedFindingsFromEmulator, emulatorConnection } = await import("@/lib/tickets/testing");
  const { createApiToken } = await import("@/lib/tokens/tokens");
  const { closeDb } = await import("@/lib/db");
  const world = await seedFindingsFromEmulator(m);
  const connection = await emulatorConnection(m, { defaultAssignmentGroup: "Cloud Security Operations" });
  const { token } = await createApiToken({ type: "system", id: null, name: "bench" }, { name: "bench", role: "ANALYST", expiresInDays: 1 });

  async function control<T>(emulator: "servicenow" | "arm", method: string, route: string, body?: unknown): Promise<T> {
    const base = emulator === "servicenow" ? m.servicenow.url : m.arm.url;
    const res = await fetch(`${base}${route}`, { method, headers: body ? { "content-type": "application/json" } : {}, body: body ? JSON.stringify(body) : undefined });
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  return {
    manifest: m,
    world,
    connection,
    token,
    control,
    async tearDown() {
      await closeDb();
      await emulators.stop();
      await pg.stop();
      await rm(dir, { recursive: true, force: true });
      await rm(pgDir, { recursive: true, force: true });
    },
  };
}

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** One API call through the route handler (auth, zod, service), as Next would make it, with the bearer token. */
export async function apiCall(handler: Handler, token: string, method: string, pathname: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const req = new NextRequest(new URL(pathname, "http://localhost:3000"), {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const res = await handler(req, { params: Promise.resolve({}) });
  return { status: res.status, json: await res.json() };
}
