import "server-only";

// Ingest Defender, the first phase of a connection's sync: an incremental pass (a full one for a full
// run) of every Azure tenant connection, through the ingestion service, written into this run. Findings
// of any tenant may be linked to any ServiceNow connection, so all tenants are read. A scheduled run
// does not read a tenant ingested less than FRESH_MS ago (several connections on short schedules share
// its pass); a run somebody asked for always does. A tenant whose ingestion is running elsewhere is
// left to it. A failed tenant is an error event: the
// run goes on with what is stored (partial).
import { db } from "@/lib/db";
import { ingestDefender, IngestionBusyError } from "@/lib/ingestion/ingest";
import { messageOf } from "./errors";
import { type RunReporter } from "./reporter";

export const FRESH_MS = 60_000;

export async function ingestDefenderPhase(input: { runId: string; reporter: RunReporter; mode: "full" | "incremental"; isScheduled: boolean }): Promise<{ failed: number }> {
  const { reporter } = input;
  reporter.phase("ingest-defender", 0, { ownsProgress: false });
  const tenants = await db().azureTenant.findMany({ where: { deletedAt: null }, orderBy: { name: "asc" }, select: { id: true, name: true, lastSyncAt: true } });
  let failed = 0;
  for (const tenant of tenants) {
    reporter.assertAlive();
    if (input.isScheduled && input.mode === "incremental" && tenant.lastSyncAt && Date.now() - tenant.lastSyncAt.getTime() < FRESH_MS) {
      reporter.count("tenants.fresh");
      continue;
    }
    try {
      const result = await ingestDefender(tenant.id, { mode: input.mode, runId: input.runId });
      reporter.count(`tenants.${result.status}`);
      if (result.status === "partial") {
        await reporter.events([{ action: "error", entityType: "tenant", entityId: tenant.id, message: `Defender ingestion of "${tenant.name}" was partial: ${result.problems.join("; ")}`, isRetryable: true }]);
      }
    } catch (error) {
      if (error instanceof IngestionBusyError) {
        // Another ingestion of this tenant is running right now: its results are what we reconcile with.
        reporter.count("tenants.busy");
        continue;
      }
      failed++;
      await reporter.events([{ action: "error", entityType: "tenant", entityId: tenant.id, message: `Defender ingestion of "${tenant.name}" failed: ${messageOf(error)}`, isRetryable: true }]);
    }
  }
  return { failed };
}
