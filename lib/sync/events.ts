import "server-only";

// SyncEvents of the engine: one row per change (or failure) a run made, append-only, written
// set-based and — where a change is a database write — in the same transaction as that write, so the
// history never shows a change that did not happen nor misses one that did.
import type pg from "pg";
import { pool } from "@/lib/db";
import { bulkUpsert } from "@/lib/db/bulk";
import { type TSyncAction } from "@/lib/schemas/sync-runs";

/** Every action of the SyncAction enum (the sync engine's and the Defender ingestion's). */
export type SyncEventAction = TSyncAction;

export type SyncEventInput = {
  action: SyncEventAction;
  entityType:
    | "ticket"
    | "finding"
    | "governance"
    | "rule"
    | "connection"
    | "servicenow_record"
    | "tenant"
    | "ticket_request"
    | "run"
    // Defender ingestion (lib/ingestion):
    | "assessment"
    | "sub-assessment"
    | "governance_assignment"
    | "listing"
    | "recommendation"
    | "resource"
    | "subscription";
  entityId?: string | null;
  ticketId?: string | null;
  findingId?: string | null;
  before?: unknown;
  after?: unknown;
  message: string;
  /** For errors: whether the next run tries the item again. */
  isRetryable?: boolean;
};

type Queryable = pg.Pool | pg.PoolClient;

// trigger: SyncEvent is append-only in the database ("SyncEvent_append_only", prisma/migrations/…_init): the
// history of a run cannot be rewritten, so events are only ever inserted here.
export async function writeSyncEvents(runId: string, events: SyncEventInput[], db: Queryable = pool()): Promise<void> {
  if (events.length === 0) return;
  await bulkUpsert(db, events, {
    table: "SyncEvent",
    columns: {
      runId: { type: "uuid", value: () => runId },
      action: { type: { enum: "SyncAction" }, value: (e) => e.action },
      entityType: { type: "text", value: (e) => e.entityType },
      entityId: { type: "text", value: (e) => e.entityId ?? null },
      ticketId: { type: "uuid", value: (e) => e.ticketId ?? null },
      findingId: { type: "uuid", value: (e) => e.findingId ?? null },
      before: { type: "jsonb", value: (e) => e.before ?? null },
      after: { type: "jsonb", value: (e) => e.after ?? null },
      message: { type: "text", value: (e) => e.message.slice(0, 2000) },
      isRetryable: { type: "bool", value: (e) => e.isRetryable ?? false },
    },
  });
}
