import "server-only";

// exportConfigurationCompliance: the "CC export" phase of a connection's sync (DESIGN.md §1, issue 8).
//   1. tests and policies for recommendations that have none on the connection yet (catalog.ts);
//   2. changed findings → sn_vulc_result through the Import Set API (results.ts, set-based diff);
//   3. remediation tasks read back and linked to the findings as CC tickets (remediation-tasks.ts).
// Per-row problems are error events and the next run sends those rows again; a refusal of the whole
// CC setup (no staging table, no import role, no access to the CC tables) throws an AppError whose
// message says what to configure.
import { serviceNowClientFor } from "@/lib/connections/client";
import { db } from "@/lib/db";
import { AppError, isAppError } from "@/lib/http/errors";
import { type ServiceNowClient } from "@/lib/servicenow";
import { type SyncEventInput } from "@/lib/sync/events";
import { ensureTests } from "./catalog";
import { type CcContext } from "./context";
import { readRemediationTasks, type TasksOutcome } from "./remediation-tasks";
import { exportResults, type ResultsOutcome } from "./results";

export type CcExportOptions = {
  runId: string | null;
  onEvent?: (events: SyncEventInput[]) => void;
  onProgress?: (done: number, total: number) => void;
  assertAlive?: () => void;
  /** The sync's client for the connection (shares its request counter); one is made otherwise. */
  client?: ServiceNowClient;
  /** Only these findings (a remediation task requested from the UI needs their results first). */
  findingIds?: string[];
  /** Skip reading remediation tasks back (the UI path only needs the results). */
  skipTasks?: boolean;
};

export type CcExportResult = {
  testsCreated: number;
  testsAdopted: number;
  policiesCreated: number;
  results: ResultsOutcome;
  tasks: TasksOutcome | null;
};

/** CC tables refused (403) or missing (404) mean the module is not set up for this user: say so. */
function explain(error: unknown): unknown {
  if (!isAppError(error) || !["UPSTREAM_FORBIDDEN", "UPSTREAM_NOT_FOUND"].includes(error.code)) return error;
  return new AppError("CONFLICT", {
    message: `Configuration Compliance export: ServiceNow refused access to the Configuration Compliance tables (${error.userMessage}). Install the Vulnerability Response / Configuration Compliance plugin and grant the integration user sn_vulc.admin (docs/OPERATIONS.md).`,
    cause: error,
  });
}

export async function exportConfigurationCompliance(connectionId: string, options: CcExportOptions): Promise<CcExportResult> {
  const connection = await db().serviceNowConnection.findUnique({ where: { id: connectionId } });
  if (!connection) throw new AppError("NOT_FOUND", { message: "No such ServiceNow connection" });
  if (connection.deletedAt) throw new AppError("CONFLICT", { message: `The ServiceNow connection "${connection.name}" is archived` });
  if (!connection.ccEnabled) throw new AppError("CONFLICT", { message: `Configuration Compliance is not enabled on the connection "${connection.name}"` });
  const ctx: CcContext = {
    connection,
    client: options.client ?? (await serviceNowClientFor(connection)),
    runId: options.runId,
    onEvent: options.onEvent,
    onProgress: options.onProgress,
    assertAlive: options.assertAlive,
  };
  const findingIds = options.findingIds ?? null;
  try {
    const catalog = await ensureTests(ctx, findingIds);
    const results = await exportResults(ctx, findingIds);
    const tasks = options.skipTasks ? null : await readRemediationTasks(ctx);
    return { ...catalog, results, tasks };
  } catch (error) {
    throw explain(error);
  }
}
