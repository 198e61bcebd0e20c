import "server-only";
import { AppError } from "@/lib/http/errors";

// One full bidirectional sync of a connection (docs/DESIGN.md §4): ingest Defender → ingest ServiceNow →
// reconcile → automation rules → governance push to Azure → Configuration Compliance read (when the
// connection has CC on) → the day's compliance snapshot. Item failures make the run "partial"; a
// failure that stops the run makes it "failed" and, when retrying may help (throttling, outage),
// queues a follow-up run with backoff.
// The ServiceNow watermark is committed with the run's final status, never before.
import { runCcReadPhase, snapshotPhase } from "@/lib/compliance-cc/sync-phase";
import { serviceNowClientFor, WITH_CREDENTIALS } from "@/lib/connections/client";
import { db } from "@/lib/db";
import { type SyncRun } from "@/lib/generated/prisma/client";
import { type JobContext } from "@/lib/jobs/define";
import { metrics } from "@/lib/metrics";
import { ingestDefenderPhase } from "./defender-phase";
import { pushConnectionGovernance } from "./governance-sync";
import { type ConnectionLease } from "./lease-sql";
import { reconcileConnection } from "./reconcile";
import { createRunReporter, RunLostError } from "./reporter-sql";
import { applyRules } from "./rules-phase";
import { failedOutcome, finishRuns, type FinishInput, runOptionsOf } from "./runs";
import { ingestServiceNow } from "./servicenow-ingest";

export async function executeFullRun(lease: ConnectionLease, run: SyncRun, job: Pick<JobContext, "log">): Promise<void> {
  const started = performance.now();
  const options = runOptionsOf(run);
  const log = job.log.child({ runId: run.id, connectionId: lease.connectionId, kind: run.kind });
  const reporter = createRunReporter(lease, {
    runIds: [run.id],
    kind: run.kind,
    log,
    initialCounts: { mode: options.mode, attempt: options.attempt },
  });
  let outcome: FinishInput;
  try {
    const connection = await db().serviceNowConnection.findUnique({ where: { id: lease.connectionId }, omit: WITH_CREDENTIALS });
    if (!connection || connection.deletedAt)
      throw new AppError("CONFLICT", { message: "The connection was archived; it is not synced any more" });
    const client = await serviceNowClientFor(connection, {
      onRequest: (info) => {
        metrics().externalRequests.inc({ system: "servicenow", status: String(info.status) });
        reporter.count("requests.servicenow");
      },
    });

    await ingestDefenderPhase({
      runId: run.id,
      reporter,
      mode: options.mode,
      isScheduled: run.trigger === "schedule",
      trigger: run.trigger,
    });
    // Written right after Defender's pass so the day is recorded even if ServiceNow is down now.
    await snapshotPhase({ runId: run.id, reporter });
    const sn = await ingestServiceNow({ connection, client, runId: run.id, reporter, isFull: options.mode === "full" });
    reporter.assertAlive();
    await reconcileConnection({ connection, client, runId: run.id, reporter });
    reporter.assertAlive();
    // Rules see the connection as reconciled (regression replacements already hold their findings).
    const fresh = await db().serviceNowConnection.findUniqueOrThrow({ where: { id: connection.id } });
    if (fresh.itsmEnabled) await applyRules({ connection: fresh, runId: run.id, reporter });
    reporter.phase("governance");
    await pushConnectionGovernance({ connectionId: connection.id, runId: run.id, reporter });
    reporter.assertAlive();
    const ccError = await runCcReadPhase({ connection: fresh, client, runId: run.id, reporter, isFull: options.mode === "full" });
    reporter.phase("snapshot");
    // Again at the end: the day's row then holds the tickets this run created, resolved or flagged.
    await snapshotPhase({ runId: run.id, reporter });
    const counts = reporter.counts();
    outcome = {
      status: Number(counts.errors ?? 0) > 0 ? "partial" : "succeeded",
      counts,
      watermark: sn.watermark,
      isFullRun: true,
      error: ccError,
    };
  } catch (error) {
    await reporter.stop();
    if (error instanceof RunLostError) {
      log.warn("sync run lost its lease; the next holder resumes it");
      return;
    }
    outcome = await failedOutcome({
      run,
      error,
      attempt: options.attempt,
      mode: options.mode,
      counts: reporter.counts(),
      log,
      what: "sync run",
    });
  } finally {
    await reporter.stop();
  }
  // A lost lease means another worker may own the run now: write nothing more to it.
  if (lease.isLost()) return;
  const isRecorded = await finishRuns(lease, [run.id], outcome);
  if (!isRecorded) return;
  metrics().syncRuns.inc({ kind: run.kind, status: outcome.status });
  metrics().syncDuration.observe({ kind: run.kind }, (performance.now() - started) / 1000);
  log.info({ status: outcome.status, ms: Math.round(performance.now() - started), counts: outcome.counts }, "sync run finished");
}
