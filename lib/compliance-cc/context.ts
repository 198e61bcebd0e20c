import "server-only";

// What every step of the Configuration Compliance export works with: the connection, its ServiceNow
// client, and where history goes (SyncEvents of the run, when there is one, plus the caller's hook).
import { type ServiceNowConnection } from "@/lib/generated/prisma/client";
import { type ServiceNowClient } from "@/lib/servicenow";
import { type SyncEventInput, writeSyncEvents } from "@/lib/sync/events";

export type CcContext = {
  connection: ServiceNowConnection;
  client: ServiceNowClient;
  /** The sync run the export belongs to; without one (a task created from the UI) no history is written. */
  runId: string | null;
  onEvent?: (events: SyncEventInput[]) => void;
  onProgress?: (done: number, total: number) => void;
  /** Throws when the run must stop (lost lease); called between ServiceNow calls. */
  assertAlive?: () => void;
};

export async function recordEvents(ctx: CcContext, events: SyncEventInput[]): Promise<void> {
  if (events.length === 0 || !ctx.runId) return;
  await writeSyncEvents(ctx.runId, events);
  ctx.onEvent?.(events);
}

/** Runs `fn` over `items`, at most `limit` at a time, in order of start. */
export async function eachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
