// Runs once when a Next.js server process starts: validate configuration (fail fast with a clear
// message), apply migrations when asked (container deployments), and, unless disabled, start the job
// worker inside this process.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Before anything else: requests carry their real peer address (lib/net/client-ip.ts).
  const { installPeerAddressHeaderOnHttpServers } = await import("@/lib/net/client-ip");
  await installPeerAddressHeaderOnHttpServers();
  const { env } = await import("@/lib/env");
  const e = env();
  if (e.MIGRATE_ON_START) {
    const { migrate } = await import("@/lib/db/migrate");
    const { logger } = await import("@/lib/log");
    // Concurrent instances are safe: the runner takes an advisory lock, the others wait and find nothing to do.
    const { applied } = await migrate(e.DATABASE_URL, { log: (m: string) => logger().info({ component: "migrate" }, m) });
    if (applied.length) logger().info({ applied }, "migrations applied");
  }
  if (e.WORKER_IN_PROCESS) {
    const { startInProcessWorker } = await import("@/lib/jobs/in-process");
    await startInProcessWorker();
  }
}
