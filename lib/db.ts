// The database handles of this process: one pg.Pool and one Prisma client on top of it (driver
// adapter @prisma/adapter-pg), created on first use. Importing this module connects to nothing and
// reads no configuration, because Next imports modules at build time, when DATABASE_URL is unset.
import "server-only";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import type { ITXClientDenyList } from "@prisma/client/runtime/client";
import { PrismaClient, type AzureTenant, type Prisma, type ServiceNowConnection } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";

export type DbConfig = { url: string; poolMax: number };

/**
 * Every encrypted column (schema: names ending in `Enc`) is left out of every Prisma read by default,
 * so a secret's ciphertext never reaches a DTO, a log line or an error by accident. A reader that needs
 * one asks for it by name: `omit: { passwordEnc: false }` or `select: { passwordEnc: true }`.
 */
export const omitSecrets = {
  azureTenant: { clientSecretEnc: true },
  serviceNowConnection: { passwordEnc: true, oauthClientSecretEnc: true, oauthTokenEnc: true, webhookSecretEnc: true },
} as const satisfies Prisma.GlobalOmitConfig;

/** A ServiceNow connection as db() reads it by default: no encrypted column. */
export type ServiceNowConnectionRow = Omit<ServiceNowConnection, keyof typeof omitSecrets.serviceNowConnection>;
/** An Azure tenant as db() reads it by default: no encrypted column. */
export type AzureTenantRow = Omit<AzureTenant, keyof typeof omitSecrets.azureTenant>;

/** The app's Prisma client: encrypted columns omitted by default (omitSecrets). */
export type Db = PrismaClient<never, typeof omitSecrets>;

/** The client inside `db().$transaction(async (tx) => …)`: the same omissions as db(). */
export type DbTransaction = Omit<Db, ITXClientDenyList>;

type Handles = { config: DbConfig; pool: pg.Pool; client: Db };

// Next dev re-evaluates modules on every hot reload; keeping the handles on globalThis stops each
// reload from opening another pool.
const globalForDb = globalThis as typeof globalThis & {
  __posturedeskDb?: { handles?: Handles; config?: DbConfig };
};
const state = (globalForDb.__posturedeskDb ??= {});

/**
 * Points this process at a database without going through process.env (test files each get
 * their own database; launchers may pass an embedded server). Must precede first use, or follow
 * closeDb().
 */
export function configureDb(config: { url: string; poolMax?: number }): void {
  if (state.handles) throw new Error("configureDb() after the database was used: call closeDb() first");
  state.config = { url: config.url, poolMax: config.poolMax ?? 10 };
}

function handles(): Handles {
  if (state.handles) return state.handles;
  const config = state.config ?? { url: env().DATABASE_URL, poolMax: env().DATABASE_POOL_MAX };
  const pool = new pg.Pool({ connectionString: config.url, max: config.poolMax, application_name: "posturedesk" });
  // An idle connection dropped by the server (restart, failover) must not crash the process;
  // the next query gets a fresh connection.
  pool.on("error", (error) => {
    console.warn(`[db] idle connection error: ${error.message}`);
  });
  // The same for a connection held between queries (a sync's lease, an ingestion's lock): pg emits the
  // server's "terminating connection" on the client, and a checked-out client has no listener of the
  // pool's — Node would end the process. Its next query fails instead, and the holder handles that.
  pool.on("connect", (client) => {
    client.on("error", (error) => {
      console.warn(`[db] connection error: ${error.message}`);
    });
  });
  // Prisma's interactive-transaction defaults (2 s to get a connection, 5 s to finish) turn a busy pool or a
  // CPU-starved host into "expired transaction" 500s on ordinary writes (ticket creation under the
  // scale-out drill with other work beside it); a write waits longer instead. Callers with long work set
  // their own (lib/tickets/lock-sql.ts, lib/azure-tenants/subscriptions.ts).
  const client = new PrismaClient({
    adapter: new PrismaPg(pool),
    omit: omitSecrets,
    transactionOptions: { maxWait: 10_000, timeout: 30_000 },
  });
  state.handles = { config, pool, client };
  return state.handles;
}

/** The Prisma client (ORM queries). */
export function db(): Db {
  return handles().client;
}

/** The pg pool under the Prisma client, for set-based SQL (lib/db/bulk.ts, COPY, unnest upserts). */
export function pool(): pg.Pool {
  return handles().pool;
}

/**
 * The one SQL transaction helper: runs `fn` in one transaction on one connection of `source` (the
 * app's pool by default) — BEGIN … COMMIT, ROLLBACK on error. A connection that cannot even roll back
 * is discarded rather than returned to the pool. For Prisma queries use `db().$transaction(...)`; both
 * share the same pool.
 */
export async function withTransaction<T>(fn: (client: pg.PoolClient) => Promise<T>, source: pg.Pool = pool()): Promise<T> {
  const client = await source.connect();
  let isBroken = false;
  try {
    return await transactionOn(client, fn, () => {
      isBroken = true;
    });
  } finally {
    client.release(isBroken);
  }
}

/**
 * A transaction on a connection the caller already holds (a sync's lease): BEGIN … COMMIT, ROLLBACK on
 * error; `onRollbackFailed` runs when even ROLLBACK fails (the connection is unusable).
 */
export async function transactionOn<T>(
  client: pg.PoolClient,
  fn: (client: pg.PoolClient) => Promise<T>,
  onRollbackFailed: () => void = () => {},
): Promise<T> {
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(onRollbackFailed);
    throw error;
  }
}

/** Closes the Prisma client and the pool (graceful shutdown, end of a test file). */
export async function closeDb(): Promise<void> {
  const current = state.handles;
  state.handles = undefined;
  if (!current) return;
  await current.client.$disconnect().catch(() => {});
  if (!current.pool.ended) await current.pool.end();
}
