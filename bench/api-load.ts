// What the in-process API benchmarks (compliance.ts, recommendations-api.ts) share: closed-loop load
// (`clients` callers each send their next request as soon as the previous one answered, for `seconds`)
// and how a benchmark process ends.
import { loadavg } from "node:os";

export type Load = { count: number; p50: number; p95: number; p99: number; max: number; rps: number; errors: number };

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Runs `one(i)` from `clients` concurrent callers for `seconds`; `one` answers false for an error. */
export async function load(clients: number, seconds: number, one: (i: number) => Promise<boolean>): Promise<Load> {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let i = client; performance.now() < deadline; i += clients) {
        const t = performance.now();
        const ok = await one(i);
        latencies.push(performance.now() - t);
        if (!ok) errors++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    count: latencies.length,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? NaN,
    rps: latencies.length / elapsed,
    errors,
  };
}

/**
 * Runs a benchmark's `main`, prints the machine's load averages (a busy machine explains slow figures)
 * and exits: 0 when it finished, 1 with the error when it threw.
 */
export function runBench(main: () => Promise<void>): void {
  main()
    .finally(() =>
      console.log(
        `load average at the end: ${loadavg()
          .map((l) => l.toFixed(1))
          .join(" ")}`,
      ),
    )
    .then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
}
