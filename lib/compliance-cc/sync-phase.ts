import "server-only";

// The sync engine's hooks into this feature (lib/sync/run-full.ts): the "cc-export" phase and the daily
// compliance snapshot. Neither fails the run: a CC export that cannot run is an error event plus the
// run's error text (the run ends partial, and the ITSM work it did stands); a snapshot that cannot be
// written is an error event (the next run writes the day again).
import { writeComplianceSnapshot } from "@/lib/compliance/snapshot";
import { type ServiceNowConnection } from "@/lib/generated/prisma/client";
import { isAppError } from "@/lib/http/errors";
import { type ServiceNowClient } from "@/lib/servicenow";
import { type RunReporter } from "@/lib/sync/reporter";
import { messageOf } from "@/lib/sync/errors";
import { exportConfigurationCompliance } from "./export";

/** Returns the error text for the run when the export could not run, null otherwise. */
export async function runCcExportPhase(input: { connection: ServiceNowConnection; client: ServiceNowClient; runId: string; reporter: RunReporter }): Promise<string | null> {
  const { reporter } = input;
  if (!input.connection.ccEnabled) return null;
  reporter.phase("cc-export");
  try {
    const result = await exportConfigurationCompliance(input.connection.id, {
      runId: input.runId,
      client: input.client,
      onEvent: (events) => reporter.noteEvents(events),
      onProgress: (done, total) => reporter.progress(done, total),
      assertAlive: () => reporter.assertAlive(),
    });
    reporter.set("cc", { ...result, tasks: result.tasks ?? undefined });
    return null;
  } catch (error) {
    // A lost lease must stop the run like anywhere else.
    if (error instanceof Error && error.name === "RunLostError") throw error;
    const message = messageOf(error);
    const isRetryable = !isAppError(error) || error.isRetryable || error.code.startsWith("UPSTREAM_");
    await reporter.events([{ action: "error", entityType: "connection", entityId: input.connection.id, message, isRetryable: isRetryable && !(isAppError(error) && error.code === "CONFLICT") }]);
    return message;
  }
}

/** Today's compliance snapshot; a failure is an error event, never a failed run. */
export async function snapshotPhase(input: { runId: string; reporter: RunReporter }): Promise<void> {
  try {
    const rows = await writeComplianceSnapshot();
    input.reporter.set("snapshot.subscriptions", rows);
  } catch (error) {
    await input.reporter.events([{ action: "error", entityType: "connection", message: `The daily compliance snapshot could not be written: ${messageOf(error)}`, isRetryable: true }]);
  }
}
