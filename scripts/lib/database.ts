// Runs a CLI command against DATABASE_URL, or — when unset — against the embedded database of the
// local install (.data/pg), using the running instance if `npm start` is up, else starting it briefly.
import path from "node:path";
import { loadLocalSecrets } from "@/scripts/lib/local-secrets";

export async function withDatabase(fn: () => Promise<void>): Promise<void> {
  const root = path.resolve(__dirname, "..", "..");
  const dataDir = path.resolve(root, process.env.POSTUREDESK_DATA_DIR ?? ".data");
  let stop: (() => Promise<void>) | null = null;
  if (!process.env.DATABASE_URL) {
    Object.assign(process.env, loadLocalSecrets(path.join(dataDir, "local-secrets.json"), process.env));
    const { startEmbeddedPostgres } = await import("@/lib/db/embedded");
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), persistent: true });
    process.env.DATABASE_URL = pg.url;
    stop = () => pg.stop();
  }
  // Commands only need the database and the keys; the sign-in settings may be absent on an ops box.
  process.env.ENTRA_AUTHORITY ??= "https://login.microsoftonline.com/common";
  process.env.ENTRA_CLIENT_ID ??= "unused-by-cli";
  process.env.ENTRA_CLIENT_SECRET ??= "unused-by-cli";
  try {
    await fn();
  } finally {
    const { closeDb } = await import("@/lib/db");
    await closeDb();
    if (stop) await stop();
  }
}
