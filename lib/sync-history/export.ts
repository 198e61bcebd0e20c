import "server-only";

// GET /api/sync-runs/{id}/events.csv — every event of a run matching the filters, streamed: pages of
// PAGE_SIZE events by id (keyset, no OFFSET), each page written as CSV rows as soon as it is read, so a
// run with a million events costs one page of memory and the download starts at once.

import { assertRole, type Caller } from "@/lib/auth/authorize";
import { db } from "@/lib/db";
import { type TSyncEventDto, type TSyncEventsExportQuery } from "@/lib/schemas/sync-runs";
import { csvRow, safeFilename } from "./csv";
import { eventWhere, withReferences } from "./events";
import { loadRun } from "./runs";

const PAGE_SIZE = 1000;

export const CSV_COLUMNS = [
  "event_id",
  "at",
  "action",
  "entity_type",
  "entity_id",
  "ticket_number",
  "ticket_url",
  "finding_id",
  "resource",
  "recommendation",
  "message",
  "before",
  "after",
  "retryable",
] as const;

function json(value: unknown): string {
  return value === null || value === undefined ? "" : JSON.stringify(value);
}

export function eventCsvRow(e: TSyncEventDto): string {
  return csvRow([
    e.id,
    e.at,
    e.action,
    e.entityType,
    e.entityId,
    e.ticket?.number,
    e.ticket?.url,
    e.finding?.id,
    e.finding?.resourceName,
    e.finding?.recommendationName ?? e.finding?.recommendationKey,
    e.message,
    json(e.before),
    json(e.after),
    e.isRetryable,
  ]);
}

export type CsvExport = { filename: string; body: ReadableStream<Uint8Array> };

export async function exportSyncEventsCsv(actor: Caller, runId: string, q: TSyncEventsExportQuery): Promise<CsvExport> {
  assertRole(actor, "manager", "Reading the sync history");
  const run = await loadRun(runId);
  const where = eventWhere(runId, q);
  const encoder = new TextEncoder();
  let lastId: bigint | null = null;
  let isHeaderSent = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!isHeaderSent) {
          isHeaderSent = true;
          controller.enqueue(encoder.encode(`\uFEFF${csvRow([...CSV_COLUMNS])}`));
          return;
        }
        const rows = await db().syncEvent.findMany({
          where: lastId === null ? where : { AND: [where, { id: { gt: lastId } }] },
          orderBy: { id: "asc" },
          take: PAGE_SIZE,
        });
        if (rows.length === 0) {
          controller.close();
          return;
        }
        lastId = rows.at(-1)!.id;
        const events = await withReferences(rows);
        controller.enqueue(encoder.encode(events.map(eventCsvRow).join("")));
        if (rows.length < PAGE_SIZE) controller.close();
      } catch (error) {
        controller.error(error);
      }
    },
  });
  const day = run.queuedAt.toISOString().slice(0, 10);
  return { filename: safeFilename(`sync-run-${day}-${run.id.slice(0, 8)}-events.csv`), body };
}
