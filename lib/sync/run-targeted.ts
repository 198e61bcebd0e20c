import "server-only";
import { AppError } from "@/lib/http/errors";

// A targeted run (webhook): one ServiceNow record read again by sys_id — the notification's content is
// not trusted beyond naming the record — its ticket row and history updated, and that ticket
// reconciled (drift, governance) at once, so a change in ServiceNow shows in the dashboard within
// seconds. No Defender pass and no watermark: the next full run still reads the record by its
// sys_updated_on, so a lost notification delays a change but never loses it.
import { serviceNowClientFor, WITH_CREDENTIALS } from "@/lib/connections/client";
import { db } from "@/lib/db";
import { type SyncRun } from "@/lib/generated/prisma/client";
import { type JobContext } from "@/lib/jobs/define";
import { metrics } from "@/lib/metrics";
import { TICKET_TABLES, type TTicketTable } from "@/lib/schemas/tickets";
import { cellValue } from "@/lib/servicenow";
import { pushConnectionGovernance } from "./governance-sync";
import { type ConnectionLease } from "./lease-sql";
import { reconcileConnection } from "./reconcile";
import { createRunReporter, RunLostError } from "./reporter-sql";
import { recordCreatedTickets } from "./rules-phase";
import { failedOutcome, finishRuns, type FinishInput, runOptionsOf } from "./runs";
import { applyServiceNowRecords, syncFields } from "./ticket-sync";

function isTicketTable(table: string | null): table is TTicketTable {
  return table !== null && (TICKET_TABLES as readonly string[]).includes(table);
}

export async function executeTargetedRun(lease: ConnectionLease, run: SyncRun, job: Pick<JobContext, "log">): Promise<void> {
  const started = performance.now();
  const options = runOptionsOf(run);
  const log = job.log.child({
    runId: run.id,
    connectionId: lease.connectionId,
    kind: run.kind,
    target: `${run.targetTable}/${run.targetSysId}`,
  });
  const reporter = createRunReporter(lease, { runIds: [run.id], kind: run.kind, log, initialCounts: { attempt: options.attempt } });
  let outcome: FinishInput;
  try {
    const connection = await db().serviceNowConnection.findUnique({ where: { id: lease.connectionId }, omit: WITH_CREDENTIALS });
    if (!connection || connection.deletedAt)
      throw new AppError("CONFLICT", { message: "The connection was archived; it is not synced any more" });
    const table = run.targetTable;
    const sysId = run.targetSysId;
    if (!isTicketTable(table) || !sysId)
      throw new AppError("VALIDATION", { message: `Nothing to sync: ${table ?? "no table"}/${sysId ?? "no sys_id"}` });
    const client = await serviceNowClientFor(connection, {
      onRequest: (info) => {
        metrics().externalRequests.inc({ system: "servicenow", status: String(info.status) });
        reporter.count("requests.servicenow");
      },
    });
    reporter.phase("ingest-servicenow", 1);
    const record = await client.get(table, sysId, { fields: syncFields(table), displayValue: "all", excludeReferenceLink: true });
    // Ours by correlation id, or another ticket an analyst linked by number: either way, a row we hold.
    const ticket = record
      ? await db().ticket.findUnique({ where: { connectionId_sysId: { connectionId: connection.id, sysId } }, select: { id: true } })
      : null;
    if (!record || !ticket) {
      const why = !record
        ? "is not readable in ServiceNow (deleted, or hidden from the integration user)"
        : "is not a ticket this connection tracks";
      await reporter.events([
        {
          action: "skipped",
          entityType: "servicenow_record",
          entityId: `${table}:${sysId}`,
          message: `${record ? cellValue(record.number) || sysId : sysId} ${why}`,
        },
      ]);
    } else {
      await applyServiceNowRecords({ connection, runId: run.id, reporter }, table, [record]);
      reporter.advance();
      await reconcileConnection({ connection, client, runId: run.id, reporter, ticketIds: [ticket.id] });
      const findingIds = (await db().ticketLink.findMany({ where: { ticketId: ticket.id }, select: { findingId: true } })).map(
        (l) => l.findingId,
      );
      reporter.phase("governance");
      await pushConnectionGovernance({ connectionId: connection.id, runId: run.id, reporter, findingIds });
      await recordCreatedTickets(connection.id, run.id, reporter);
    }
    const counts = reporter.counts();
    outcome = { status: Number(counts.errors ?? 0) > 0 ? "partial" : "succeeded", counts };
  } catch (error) {
    await reporter.stop();
    if (error instanceof RunLostError) return;
    outcome = await failedOutcome({
      run,
      error,
      attempt: options.attempt,
      mode: "incremental",
      counts: reporter.counts(),
      log,
      what: "targeted sync",
    });
  } finally {
    await reporter.stop();
  }
  if (lease.isLost() || !(await finishRuns(lease, [run.id], outcome))) return;
  metrics().syncRuns.inc({ kind: run.kind, status: outcome.status });
  metrics().syncDuration.observe({ kind: run.kind }, (performance.now() - started) / 1000);
}
