import "server-only";
import { type ServiceNowConnectionRow } from "@/lib/db";

// The sync engine's hooks into this feature (lib/sync/run-full.ts): the "cc-read" phase and the daily
// compliance snapshot. Neither fails the run: a CC read that cannot run is an error event plus the
// run's error text (the run ends partial, and the ITSM work it did stands); a snapshot that cannot be
// written is an error event (the next run writes the day again).
import { writeComplianceSnapshot } from "@/lib/compliance/snapshot-sql";
import { isAppError } from "@/lib/http/errors";
import { type ServiceNowClient } from "@/lib/servicenow";
import { type RunReporter } from "@/lib/sync/reporter-sql";
import { messageOf } from "@/lib/sync/errors";
import { readConfigurationCompliance } from "./read-sql";

/** Returns the error text for the run when the CC read could not run, null otherwise. */
export async function runCcReadPhase(input: {
  connection: ServiceNowConnectionRow;
  client: ServiceNowClient;
  runId: string;
  reporter: RunReporter;
  isFull: boolean;
}): Promise<string | null> {
  const { reporter } = input;
  if (!input.connection.ccEnabled) return null;
  reporter.phase("cc-read");
  try {
    const result = await readConfigurationCompliance({
      connection: input.connection,
      client: input.client,
      isFull: input.isFull,
      onProgress: (done) => reporter.progress(done, done),
      assertAlive: () => reporter.assertAlive(),
    });
    reporter.set("cc", result);
    return null;
  } catch (error) {
    // A lost lease must stop the run like anywhere else.
    if (error instanceof Error && error.name === "RunLostError") throw error;
    const message = `Configuration Compliance could not be read: ${messageOf(error)}`;
    const isRetryable = !isAppError(error) || error.isRetryable || error.code.startsWith("UPSTREAM_");
    await reporter.events([{ action: "error", entityType: "connection", entityId: input.connection.id, message, isRetryable }]);
    return message;
  }
}

/** Today's compliance snapshot; a failure is an error event, never a failed run. */
export async function snapshotPhase(input: { runId: string; reporter: RunReporter }): Promise<void> {
  try {
    const rows = await writeComplianceSnapshot();
    input.reporter.set("snapshot.subscriptions", rows);
  } catch (error) {
    await input.reporter.events([
      {
        action: "error",
        entityType: "connection",
        message: `The daily compliance snapshot could not be written: ${messageOf(error)}`,
        isRetryable: true,
      },
    ]);
  }
}
