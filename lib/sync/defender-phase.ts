import "server-only";

// Ingest Defender, the first phase of a connection's sync: an incremental pass (a full one for a full
// run) of every Azure tenant connection, through the ingestion service, written into this run. Findings
// of any tenant may be linked to any ServiceNow connection, so all tenants are read. A scheduled run
// does not read a tenant ingested less than FRESH_MS ago (several connections on short schedules share
// its pass); a run somebody asked for always does. A tenant whose ingestion is running elsewhere is
// left to it.
//
// Each tenant's pass is a run of its own (kind defender_ingest, the tenant's): its counts, skipped items,
// errors and status belong to that tenant, not to the connection's run — one tenant's outage must not
// turn every ServiceNow connection's sync "Partial". The connection's run counts the tenants by outcome
// (tenants.succeeded / partial / failed / busy / fresh) and goes on with what is stored.
import { db } from "@/lib/db";
import { type SyncTrigger } from "@/lib/generated/prisma/client";
import { ingestDefender, IngestionBusyError } from "@/lib/ingestion/ingest";
import { messageOf } from "./errors";
import { writeSyncEvents } from "./events";
import { finishIngestRun } from "./runs-sql";
import { type RunReporter } from "./reporter-sql";

export const FRESH_MS = 60_000;

export async function ingestDefenderPhase(input: {
  runId: string;
  reporter: RunReporter;
  mode: "full" | "incremental";
  isScheduled: boolean;
  trigger?: SyncTrigger;
}): Promise<{ failed: number }> {
  const { reporter } = input;
  reporter.phase("ingest-defender", 0, { ownsProgress: false });
  const tenants = await db().azureTenant.findMany({
    where: { deletedAt: null },
    orderBy: { name: "asc" },
    select: { id: true, name: true, lastSyncAt: true },
  });
  let failed = 0;
  for (const tenant of tenants) {
    reporter.assertAlive();
    if (input.isScheduled && input.mode === "incremental" && tenant.lastSyncAt && Date.now() - tenant.lastSyncAt.getTime() < FRESH_MS) {
      reporter.count("tenants.fresh");
      continue;
    }
    const now = new Date();
    const tenantRun = await db().syncRun.create({
      data: {
        kind: "defender_ingest",
        trigger: input.trigger ?? (input.isScheduled ? "schedule" : "manual"),
        status: "running",
        azureTenantId: tenant.id,
        queuedAt: now,
        startedAt: now,
        heartbeatAt: now,
        counts: { connectionRunId: input.runId },
      },
    });
    const finish = (status: "succeeded" | "partial" | "failed", error: string | null) => finishIngestRun(tenantRun.id, status, error);
    try {
      const result = await ingestDefender(tenant.id, { mode: input.mode, runId: tenantRun.id });
      reporter.count(`tenants.${result.status}`);
      await finish(result.status, result.problems.length ? `Finished with problems: ${result.problems.join("; ")}` : null);
    } catch (error) {
      if (error instanceof IngestionBusyError) {
        // Another ingestion of this tenant is running right now: its results are what we reconcile with.
        reporter.count("tenants.busy");
        await db()
          .syncRun.delete({ where: { id: tenantRun.id } })
          .catch(() => finish("failed", "Another ingestion of this tenant was running"));
        continue;
      }
      failed++;
      reporter.count("tenants.failed");
      const message = messageOf(error);
      await writeSyncEvents(tenantRun.id, [
        { action: "error", entityType: "run", message: `Defender ingestion of "${tenant.name}" failed: ${message}`, isRetryable: true },
      ]);
      await finish("failed", message);
    }
  }
  return { failed };
}
