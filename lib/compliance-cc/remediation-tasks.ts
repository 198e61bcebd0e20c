import "server-only";

// CC remediation tasks (sn_vulc_result_group) read back as tickets: the instance groups failed test
// results into tasks (by its own rules, or because PostureDesk asked for one), so every result of ours
// that sits in a task is listed, mapped to its finding through CcExportState.resultSysId, and the task
// becomes a Ticket (module cc) actively linked to those findings — next to their ITSM tickets. A finding
// whose result moved to another task follows it. Results of tasks PostureDesk created whose result_group
// is not set yet (the attach after creation failed) are attached again here.
import { pool, withTransaction } from "@/lib/db";
import { cellValue, q } from "@/lib/servicenow";
import { type SyncEventInput, writeSyncEvents } from "@/lib/sync/events";
import { recordFields, ticketColumnsOf } from "@/lib/tickets/record";
import { chunks, type CcContext, eachLimit } from "./context";
import { DEFENDER_SOURCE } from "./source";

const GROUP_BATCH = 100;
const PAGE = 1000;

type Grouped = { resultSysId: string; groupSysId: string };

async function groupedResults(ctx: CcContext): Promise<Grouped[]> {
  const out: Grouped[] = [];
  for await (const r of ctx.client.iterate("sn_vulc_result", {
    query: q().eq("source", DEFENDER_SOURCE).isNotEmpty("result_group").orderBy("sys_id"),
    fields: ["sys_id", "result_group"],
    excludeReferenceLink: true,
    limit: PAGE,
    noCount: true,
  })) {
    out.push({ resultSysId: cellValue(r.sys_id), groupSysId: cellValue(r.result_group) });
  }
  return out;
}

const UPSERT_SQL = `
  INSERT INTO "Ticket" ("connectionId", "table", "module", "sysId", "number", "rawState", "state", "priority", "impact", "urgency",
    "shortDescription", "assignedToSysId", "assignedToName", "assignedToEmail", "assignmentGroupSysId", "assignmentGroupName", "dueDate",
    "url", "correlationId", "snUpdatedAt", "lastSyncedAt", "createdByType", "resolvedAt", "updatedAt")
  SELECT $1::uuid, 'sn_vulc_result_group'::"TicketTable", 'cc'::"TicketModule", s.*, now(), 'system'::"ActorType", CASE WHEN s."state" <> 'open' THEN now() END, now()
  FROM unnest($2::text[], $3::text[], $4::text[], $5::"TicketState"[], $6::int4[], $7::int4[], $8::int4[], $9::text[], $10::text[], $11::text[],
              $12::text[], $13::text[], $14::text[], $15::timestamptz[], $16::text[], $17::text[], $18::timestamptz[])
    AS s("sysId", "number", "rawState", "state", "priority", "impact", "urgency", "shortDescription", "assignedToSysId", "assignedToName",
         "assignedToEmail", "assignmentGroupSysId", "assignmentGroupName", "dueDate", "url", "correlationId", "snUpdatedAt")
  ON CONFLICT ("connectionId", "sysId") DO UPDATE SET
    "number" = EXCLUDED."number", "rawState" = EXCLUDED."rawState", "state" = EXCLUDED."state", "priority" = EXCLUDED."priority",
    "shortDescription" = EXCLUDED."shortDescription", "assignedToName" = EXCLUDED."assignedToName", "assignedToEmail" = EXCLUDED."assignedToEmail",
    "assignmentGroupName" = EXCLUDED."assignmentGroupName", "dueDate" = EXCLUDED."dueDate", "snUpdatedAt" = EXCLUDED."snUpdatedAt",
    "resolvedAt" = CASE WHEN EXCLUDED."state" = 'open' THEN NULL ELSE COALESCE("Ticket"."resolvedAt", now()) END,
    "lastSyncedAt" = now(), "updatedAt" = now()
  RETURNING "id", "sysId", "number", (xmax = 0) AS "isNew"`;

/**
 * A finding actively linked to another CC task on the connection moves: first the old links end, then
 * the new ones are written (two statements — within one, the insert could not see the ended link).
 */
const UNLINK_MOVED_SQL = `
  UPDATE "TicketLink" l SET "activeConnectionId" = NULL, "unlinkedAt" = now(), "unlinkReason" = 'moved in ServiceNow to another remediation task'
  FROM unnest($2::uuid[], $3::uuid[]) AS w("findingId", "ticketId")
  WHERE l."findingId" = w."findingId" AND l."activeConnectionId" = $1::uuid AND l."module" = 'cc' AND l."ticketId" <> w."ticketId"
  RETURNING l."findingId", l."ticketId"`;

const LINK_SQL = `
  INSERT INTO "TicketLink" ("ticketId", "findingId", "connectionId", "module", "activeConnectionId", "linkedByType")
  SELECT w."ticketId", w."findingId", $1::uuid, 'cc'::"TicketModule", $1::uuid, 'system'::"ActorType"
  FROM unnest($2::uuid[], $3::uuid[]) AS w("findingId", "ticketId")
  ON CONFLICT ("findingId", "activeConnectionId", "module") DO NOTHING
  RETURNING "findingId", "ticketId"`;

export type TasksOutcome = { tasks: number; newTasks: number; linked: number; moved: number; reattached: number };

export async function readRemediationTasks(ctx: CcContext): Promise<TasksOutcome> {
  const outcome: TasksOutcome = { tasks: 0, newTasks: 0, linked: 0, moved: 0, reattached: 0 };
  const grouped = await groupedResults(ctx);
  const groupOf = new Map(grouped.map((g) => [g.resultSysId, g.groupSysId]));

  // Results → findings (only ours: CcExportState knows every result sys_id the export received).
  const { rows: owned } = await pool().query<{ findingId: string; resultSysId: string }>(
    `SELECT "findingId", "resultSysId" FROM "CcExportState" WHERE "connectionId" = $1::uuid AND "resultSysId" = ANY($2::text[])`,
    [ctx.connection.id, grouped.map((g) => g.resultSysId)],
  );
  const findingsByGroup = new Map<string, string[]>();
  for (const o of owned) {
    const group = groupOf.get(o.resultSysId)!;
    findingsByGroup.set(group, [...(findingsByGroup.get(group) ?? []), o.findingId]);
  }

  const fields = recordFields("sn_vulc_result_group");
  const records = [];
  for (const batch of chunks([...findingsByGroup.keys()].sort(), GROUP_BATCH)) {
    ctx.assertAlive?.();
    const page = await ctx.client.list("sn_vulc_result_group", { query: q().in("sys_id", batch), fields, displayValue: "all", excludeReferenceLink: true, limit: GROUP_BATCH, noCount: true });
    records.push(...page.records);
  }
  if (records.length > 0) {
    const cols = records.map((r) => ticketColumnsOf(ctx.connection.instanceUrl, "sn_vulc_result_group", r));
    const events: SyncEventInput[] = [];
    await withTransaction(async (client) => {
      const upserted = await client.query<{ id: string; sysId: string; number: string; isNew: boolean }>(UPSERT_SQL, [
        ctx.connection.id,
        cols.map((c) => c.sysId),
        cols.map((c) => c.number),
        cols.map((c) => c.rawState),
        cols.map((c) => c.state),
        cols.map((c) => c.priority),
        cols.map((c) => c.impact),
        cols.map((c) => c.urgency),
        cols.map((c) => c.shortDescription),
        cols.map((c) => c.assignedToSysId),
        cols.map((c) => c.assignedToName),
        cols.map((c) => c.assignedToEmail),
        cols.map((c) => c.assignmentGroupSysId),
        cols.map((c) => c.assignmentGroupName),
        cols.map((c) => c.dueDate),
        cols.map((c) => c.url),
        cols.map((c) => c.correlationId),
        cols.map((c) => c.snUpdatedAt),
      ]);
      const ticketOf = new Map(upserted.rows.map((r) => [r.sysId, r]));
      const pairs = [...findingsByGroup].flatMap(([group, findingIds]) => (ticketOf.has(group) ? findingIds.map((f) => [f, ticketOf.get(group)!.id] as const) : []));
      const params = [ctx.connection.id, pairs.map((p) => p[0]), pairs.map((p) => p[1])];
      const moved = await client.query<{ findingId: string; ticketId: string }>(UNLINK_MOVED_SQL, params);
      const added = await client.query<{ findingId: string; ticketId: string }>(LINK_SQL, params);
      const byTicket = new Map(upserted.rows.map((r) => [r.id, r]));
      for (const row of moved.rows) {
        outcome.moved++;
        events.push({ action: "unlinked", entityType: "ticket", ticketId: row.ticketId, findingId: row.findingId, message: "Finding moved in ServiceNow to another remediation task" });
      }
      for (const row of added.rows) {
        const ticket = byTicket.get(row.ticketId);
        outcome.linked++;
        events.push({ action: "linked", entityType: "ticket", entityId: ticket?.number ?? null, ticketId: row.ticketId, findingId: row.findingId, message: `Remediation task ${ticket?.number ?? ""} covers this finding's test result` });
      }
      for (const t of upserted.rows) {
        if (!t.isNew) continue;
        outcome.newTasks++;
        events.push({ action: "created", entityType: "ticket", entityId: t.number, ticketId: t.id, after: { number: t.number, table: "sn_vulc_result_group" }, message: `Remediation task ${t.number} found in ServiceNow for ${findingsByGroup.get(t.sysId)?.length ?? 0} finding(s)` });
      }
      if (ctx.runId) await writeSyncEvents(ctx.runId, events, client);
    });
    ctx.onEvent?.(events);
    outcome.tasks = records.length;
  }
  outcome.reattached = await reattach(ctx, groupOf);
  return outcome;
}

/** Our tasks' findings whose result is not (or no longer) in the task in ServiceNow: set result_group again. */
async function reattach(ctx: CcContext, groupOf: Map<string, string>): Promise<number> {
  const { rows } = await pool().query<{ resultSysId: string; taskSysId: string }>(
    `SELECT s."resultSysId", t."sysId" AS "taskSysId"
     FROM "TicketLink" l
     JOIN "Ticket" t ON t."id" = l."ticketId" AND t."correlationId" LIKE $2 || ':%'
     JOIN "CcExportState" s ON s."connectionId" = l."connectionId" AND s."findingId" = l."findingId" AND s."resultSysId" IS NOT NULL
     WHERE l."activeConnectionId" = $1::uuid AND l."module" = 'cc' AND t."state" = 'open'`,
    [ctx.connection.id, ctx.connection.correlationPrefix],
  );
  const missing = rows.filter((r) => !groupOf.has(r.resultSysId));
  await eachLimit(missing, 4, async (r) => {
    ctx.assertAlive?.();
    await ctx.client.update("sn_vulc_result", r.resultSysId, { result_group: r.taskSysId });
  });
  return missing.length;
}
