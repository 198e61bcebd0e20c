// Temporary (helper E): seeds findings into the .data/helperE app so the demo watcher tickets some.
import { readFileSync } from "node:fs";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { readManifest } from "@/emulators/manifest";

async function main() {
  const pg = await startEmbeddedPostgres({ dataDir: ".data/helperE/pg", persistent: true });
  const secrets = JSON.parse(readFileSync(".data/helperE/local-secrets.json", "utf8"));
  const m = readManifest(".data/helperE/emulators.json");
  Object.assign(process.env, { DATABASE_URL: pg.url, ...secrets, ENTRA_AUTHORITY: m.entra.authority, ENTRA_CLIENT_ID: "x", ENTRA_CLIENT_SECRET: "x", ALLOW_PRIVATE_NETWORK: "true", LOG_LEVEL: "silent" });
  const { seedFindingsFromEmulator } = await import("@/lib/tickets/testing");
  const w = await seedFindingsFromEmulator(m);
  console.log("unhealthy", w.unhealthy.length);
  const { closeDb } = await import("@/lib/db");
  await closeDb();
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
