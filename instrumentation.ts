// Runs once when a Next.js server process starts: validate configuration (fail fast with a clear
// message) and, unless disabled, start the job worker inside this process.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("@/lib/env");
  const e = env();
  if (e.WORKER_IN_PROCESS) {
    const { startInProcessWorker } = await import("@/lib/jobs/in-process");
    await startInProcessWorker();
  }
}
