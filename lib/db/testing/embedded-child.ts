// Test helper (lib/db/embedded.int.test.ts): runs an embedded PostgreSQL in a separate process so
// tests can kill that process (SIGKILL) or run it as another OS user. Prints one JSON line once the
// server is ready; stops it cleanly on SIGTERM.
import { startEmbeddedPostgres } from "@/lib/db/embedded";

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error("usage: embedded-child.ts DATA_DIR");
  const server = await startEmbeddedPostgres({ dataDir });
  process.once("SIGTERM", () => {
    void server.stop().then(() => process.exit(0));
  });
  process.stdout.write(
    `${JSON.stringify({ pid: server.pid, port: server.port, url: server.url, uid: process.getuid?.(), nodePid: process.pid })}\n`,
  );
  setInterval(() => {}, 60_000);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
