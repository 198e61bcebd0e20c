import "server-only";

// Ingest ServiceNow (docs/DESIGN.md §4.2): per ticket table, the records whose correlation_id starts with the
// connection's prefix and whose sys_updated_on >= watermark − overlap, ordered by sys_updated_on, paged.
// Pages follow a keyset (sys_updated_on, sys_id) rather than offsets: a record updated while we page
// moves to the end of the order, and with offsets the record behind it would slide into a page already
// read and be missed for good. The overlap covers records whose update became visible after a later
// one (clock and commit order on the instance); re-reading them is harmless (nothing changed → no
// write). Records that failed to apply are retried by sys_id in the next run (SyncRetryItem).
import { db, type ServiceNowConnectionRow } from "@/lib/db";
import { type TTicketTable } from "@/lib/schemas/tickets";
import {
  formatServiceNowDateTime,
  IN_BATCH,
  q,
  type ServiceNowClient,
  type ServiceNowRecord,
  cellValue,
  WATERMARK_OVERLAP_MS,
} from "@/lib/servicenow";
import { pageQuery } from "./page-query";
import { messageOf } from "./errors";
import { type RunReporter } from "./reporter-sql";
import { clearRetryItems, recordRetryItem, retryItemsOf } from "./retry-items";
import { applyServiceNowRecords, syncFields } from "./ticket-sync";

export const PAGE_SIZE = 500;

export type IngestServiceNowInput = {
  connection: ServiceNowConnectionRow;
  client: ServiceNowClient;
  runId: string;
  reporter: RunReporter;
  /** Read everything of ours, whatever the watermark. */
  isFull: boolean;
  /** Records per page (default PAGE_SIZE). */
  pageSize?: number;
};

export type IngestServiceNowResult = {
  /** Newest sys_updated_on seen: the watermark to commit if the run commits. */
  watermark: Date | null;
  changedTicketIds: string[];
};

async function tablesOf(connectionId: string): Promise<TTicketTable[]> {
  const rows = await db().ticket.groupBy({ by: ["table"], where: { connectionId } });
  return rows.map((r) => r.table as TTicketTable).sort();
}

export async function ingestServiceNow(input: IngestServiceNowInput): Promise<IngestServiceNowResult> {
  const { connection, client, reporter, runId } = input;
  const ctx = { connection, runId, reporter };
  const since = input.isFull || !connection.snWatermark ? null : new Date(connection.snWatermark.getTime() - WATERMARK_OVERLAP_MS);
  const tables = await tablesOf(connection.id);
  const pageSize = input.pageSize ?? PAGE_SIZE;
  reporter.phase("ingest-servicenow");
  reporter.set("servicenow.since", since?.toISOString() ?? null);
  let watermark: Date | null = null;
  const changed = new Set<string>();

  const apply = async (table: TTicketTable, records: ServiceNowRecord[]): Promise<Date | null> => {
    try {
      const result = await applyServiceNowRecords(ctx, table, records);
      reporter.count("servicenow.records", records.length);
      reporter.count("servicenow.unknown", result.unknown);
      for (const a of result.applied) changed.add(a.ticketId);
      await clearRetryItems(
        connection.id,
        "servicenow_record",
        records.map((r) => `${table}:${cellValue(r.sys_id)}`),
      );
      return result.newest;
    } catch (error) {
      // One bad record must not hold back the others: store them one by one, remember the failures.
      if (records.length > 1) {
        let newest: Date | null = null;
        for (const record of records) {
          const n = await apply(table, [record]);
          if (n && (!newest || n > newest)) newest = n;
        }
        return newest;
      }
      const sysId = cellValue(records[0]!.sys_id);
      await recordRetryItem(connection.id, "servicenow_record", `${table}:${sysId}`, messageOf(error), runId);
      await reporter.events([
        {
          action: "error",
          entityType: "servicenow_record",
          entityId: `${table}:${sysId}`,
          message: `Could not store ${cellValue(records[0]!.number) || sysId}: ${messageOf(error)}`,
          isRetryable: true,
        },
      ]);
      return null;
    }
  };

  for (const table of tables) {
    let cursor: { updatedOn: string; sysId: string } | null = null;
    for (;;) {
      reporter.assertAlive();
      const page = await client.list(table, {
        query: pageQuery(connection.correlationPrefix, since, cursor),
        fields: syncFields(table),
        displayValue: "all",
        excludeReferenceLink: true,
        limit: pageSize,
        noCount: true,
      });
      reporter.count("servicenow.pages");
      const newest = await apply(table, page.records);
      if (newest && (!watermark || newest > watermark)) watermark = newest;
      reporter.advance(page.records.length);
      const last = page.records.at(-1);
      if (!last || page.records.length < pageSize) break;
      cursor = { updatedOn: cellValue(last.sys_updated_on), sysId: cellValue(last.sys_id) };
    }
  }

  // Tickets linked by number that another integration (or a person) created carry no correlation id of
  // ours: they are read by sys_id, with the same watermark.
  const foreign = await db().ticket.findMany({
    where: {
      connectionId: connection.id,
      OR: [{ correlationId: null }, { NOT: { correlationId: { startsWith: `${connection.correlationPrefix}:` } } }],
    },
    select: { table: true, sysId: true },
    orderBy: { sysId: "asc" },
  });
  for (const table of tables) {
    const sysIds = foreign.filter((t) => t.table === table).map((t) => t.sysId);
    for (let i = 0; i < sysIds.length; i += IN_BATCH) {
      reporter.assertAlive();
      const query = q().in("sys_id", sysIds.slice(i, i + IN_BATCH));
      if (since) query.gte("sys_updated_on", formatServiceNowDateTime(since));
      const page = await client.list(table, {
        query,
        fields: syncFields(table),
        displayValue: "all",
        excludeReferenceLink: true,
        limit: IN_BATCH,
        noCount: true,
      });
      reporter.count("servicenow.pages");
      const newest = await apply(table, page.records);
      if (newest && (!watermark || newest > watermark)) watermark = newest;
    }
  }

  // Records that failed in an earlier run are read again by sys_id, whatever the watermark says.
  const pending = await retryItemsOf(connection.id, "servicenow_record");
  for (const item of pending) {
    reporter.assertAlive();
    const [table, sysId] = item.entityId.split(":") as [TTicketTable, string];
    const record = await client.get(table, sysId, { fields: syncFields(table), displayValue: "all", excludeReferenceLink: true });
    if (!record) {
      await clearRetryItems(connection.id, "servicenow_record", [item.entityId]);
      continue;
    }
    await apply(table, [record]);
  }
  return { watermark, changedTicketIds: [...changed] };
}
