// The database a development command works on: DATABASE_URL when set, else the embedded
// PostgreSQL under .data/pg (started for the command and stopped after it, or shared with a
// running `npm start`).
import { ZEnv, rawEnv } from "@/lib/env";
import { startEmbeddedPostgres } from "@/lib/db/embedded";

/** Where `npm start` and the db scripts keep the embedded cluster (relative to the repo root). */
export const EMBEDDED_DATA_DIR = ".data/pg";

export type LocalDatabase = { url: string; isEmbedded: boolean; close(): Promise<void> };

export async function openLocalDatabase(log: (message: string) => void = () => {}): Promise<LocalDatabase> {
  const configured = rawEnv("DATABASE_URL");
  if (configured !== undefined && configured.trim() !== "") {
    const parsed = ZEnv.shape.DATABASE_URL.safeParse(configured);
    if (!parsed.success) throw new Error(`DATABASE_URL: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
    return { url: parsed.data, isEmbedded: false, close: async () => {} };
  }
  log(`DATABASE_URL is not set: using the embedded PostgreSQL in ${EMBEDDED_DATA_DIR}`);
  const embedded = await startEmbeddedPostgres({ dataDir: EMBEDDED_DATA_DIR, log });
  return { url: embedded.url, isEmbedded: true, close: () => embedded.stop() };
}
