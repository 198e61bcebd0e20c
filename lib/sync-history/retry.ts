import "server-only";

// "Retry failed items" on a run's page: the engine keeps what failed in SyncRetryItem and tries it
// again on the connection's next run (and a rule's ticket that could not be created is planned again
// while its findings stay unticketed), so retrying = queueing a sync of the run's connection now. The
// engine's enqueue coalesces with a run already queued and audits the request (connection.sync).

import { assertRole, type Caller } from "@/lib/auth/authorize";
import { db } from "@/lib/db";
import { AppError } from "@/lib/http/errors";
import { type TRetrySyncRunResult } from "@/lib/schemas/sync-runs";
import { enqueueConnectionSync } from "@/lib/sync/enqueue-sql";
import { canRetryRun, loadRun } from "./runs";

export async function retrySyncRun(actor: Caller, runId: string, meta: { requestId?: string } = {}): Promise<TRetrySyncRunResult> {
  assertRole(actor, "analyst", "Retrying failed sync items");
  const run = await loadRun(runId);
  if (!run.connectionId || run.kind === "cc_export" || run.kind === "ticket_request") {
    throw new AppError("CONFLICT", {
      message: "Only ServiceNow connection runs can be retried from the history; run the Azure tenant's sync from its connection page",
    });
  }
  if (run.status === "queued" || run.status === "running") throw new AppError("CONFLICT", { message: "This run has not finished yet" });
  const [errors, pendingRetries] = await Promise.all([
    db().syncEvent.count({ where: { runId, action: "error" } }),
    db().syncRetryItem.count({ where: { lastRunId: runId } }),
  ]);
  if (!canRetryRun(run, { errors, pendingRetries })) throw new AppError("CONFLICT", { message: "This run has no failed items to retry" });
  return enqueueConnectionSync(run.connectionId, { trigger: "manual", actor, requestId: meta.requestId });
}
