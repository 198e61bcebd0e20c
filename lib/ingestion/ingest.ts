import "server-only";

// ingestDefender: one Defender for Cloud ingestion of a tenant connection, written into an existing
// SyncRun (progress, counts, events) — the job in ./job.ts and the sync engine both call it.
// Steps: subscriptions (discovery) → resource tags listed (full passes, Resource Graph, ./tags.ts) →
// assessments + metadata (Resource Graph or ARM, ./assessments.ts) → removed findings (full passes) →
// resource tags written → vulnerability sub-assessments (./sub-assessments.ts) → governance assignments → recommendation summaries.
// Secure scores and regulatory compliance (full passes) run alongside, from the assessment pass on
// (compliance after it when Resource Graph is in doubt). A failure of one subscription or one listing is an
// error event and makes the result "partial"; only what stops everything (no token, endpoint refused,
// database error) throws.
import { type AzureClientConfig } from "@/lib/azure/client";
import { assertRole, type Caller } from "@/lib/auth/authorize";

import { azureClientFor, WITH_TENANT_SECRET } from "@/lib/azure-tenants/client";
import { explainTokenFailure } from "@/lib/azure-tenants/failure";
import { recordSubscriptions, NOT_VISIBLE } from "@/lib/azure-tenants/subscriptions";
import { db, pool } from "@/lib/db";
import { AppError, isAppError } from "@/lib/http/errors";
import { refreshRecommendationSummaries } from "@/lib/recommendations/summary-sql";
import { accountWrites, runAssessmentPass, type Strategy } from "./assessments";
import { createFindingWriter } from "./finding-writer";
import { ingestGovernance } from "./governance";
import { upsertCloudResources } from "./cloud-resources-sql";
import { ingestCompliance, ingestComplianceFromGraph, ingestSecureScores, ingestSecureScoresFromGraph } from "./posture";
import { createRecommendationWriter } from "./recommendation-writer";
import { concurrentLog, createRunLog, type IngestProgress } from "./run-log";
import { applySeverityChanges, countLiveFindings, relaxCommit, resetSession, tryLockTenant, unlockTenant } from "./ingest-session-sql";
import { ingestSubAssessments } from "./sub-assessments";
import { applyResourceTags, stageResourceTags, type TagStepInput } from "./tags";

export type IngestMode = "full" | "incremental";

export type IngestOptions = {
  mode: IngestMode;
  runId: string;
  onProgress?: (progress: IngestProgress) => void;
  /** "auto" (default): Resource Graph when the connection allows it and spans several subscriptions. */
  strategy?: Strategy | "auto";
  /** Client settings (timeouts, retries); tests and benchmarks shorten the waits. */
  azure?: Partial<AzureClientConfig>;
  /** Delay before a failed listing is restarted (default 2 s × attempt). */
  retryDelayMs?: number;
};

export type IngestResult = {
  status: "succeeded" | "partial";
  strategy: Strategy;
  counts: Record<string, unknown>;
  /** What went wrong without stopping the run (also recorded as events). */
  problems: string[];
};

/** Statuses may change during a listing; an incremental pass re-reads this much before the watermark. */
const WATERMARK_OVERLAP_MS = 60 * 60_000;

/** Another ingestion of the tenant holds its lock (503, retryable): callers wait for it or leave the tenant to it. */
export class IngestionBusyError extends AppError {
  constructor(tenantName: string) {
    super("SERVICE_UNAVAILABLE", { message: `Another ingestion of "${tenantName}" is running; try again when it ends`, isRetryable: true });
    this.name = "IngestionBusyError";
  }
}

export async function ingestDefender(azureTenantId: string, options: IngestOptions, actor?: Caller): Promise<IngestResult> {
  if (actor) assertRole(actor, "analyst", "Running a Defender ingestion");
  const tenant = await db().azureTenant.findUnique({ where: { id: azureTenantId }, omit: WITH_TENANT_SECRET });
  if (!tenant) throw new AppError("NOT_FOUND", { message: "No such Azure tenant connection" });
  const run = await db().syncRun.findUnique({ where: { id: options.runId }, select: { id: true } });
  if (!run) throw new AppError("NOT_FOUND", { message: `No sync run ${options.runId}` });

  const now = new Date();
  const problems: string[] = [];
  const client = await pool().connect();
  let isBroken = false;
  let posture: Promise<void> | null = null;
  try {
    // One ingestion per tenant at a time, whoever started it; released if this process dies.
    if (!(await tryLockTenant(client, azureTenantId))) throw new IngestionBusyError(tenant.name);
    await relaxCommit(client);
    try {
      const log = createRunLog(options.runId, { onProgress: options.onProgress, client });
      await db().syncRun.updateMany({ where: { id: options.runId, startedAt: null }, data: { startedAt: now } });
      log.set("mode", options.mode);

      log.step("subscriptions");
      const azure = await azureClientFor(tenant, options.azure ?? {});
      let visible;
      try {
        visible = await azure.listSubscriptions();
      } catch (error) {
        // The first call also gets the token: say what is wrong in words an admin can act on.
        const explained = await explainTokenFailure(error, tenant);
        throw isAppError(error)
          ? new AppError(error.code, { message: explained.message, cause: error, isRetryable: error.isRetryable })
          : error;
      }
      const discovery = await recordSubscriptions(tenant.id, visible);
      const notVisible = discovery.subscriptions.filter((s) => s.included && s.state === NOT_VISIBLE);
      if (notVisible.length > 0) {
        problems.push(`${notVisible.length} included subscriptions are no longer visible`);
        await log.events(
          notVisible.map((s) => ({
            action: "skipped",
            entityType: "subscription",
            entityId: s.subscriptionId,
            message: `Subscription ${s.displayName} is included but no longer visible to the service principal; its findings are kept as they were`,
          })),
        );
      }
      const subscriptionIds = discovery.subscriptions.filter((s) => s.included && s.state !== NOT_VISIBLE).map((s) => s.subscriptionId);
      log.set("subscriptions", subscriptionIds.length);
      if (subscriptionIds.length === 0) {
        throw new AppError("CONFLICT", {
          message:
            discovery.subscriptions.length === 0
              ? "The service principal sees no subscription: grant it Security Reader on the subscriptions to ingest"
              : "No subscription is included in ingestion",
        });
      }

      const existingCount = await countLiveFindings(client, tenant.id);
      const isFirst = existingCount === 0;
      const strategy: Strategy =
        options.strategy && options.strategy !== "auto"
          ? options.strategy
          : tenant.useResourceGraph && subscriptionIds.length > 1
            ? "resource-graph"
            : "arm";
      const since =
        options.mode === "incremental" && tenant.defenderWatermark
          ? new Date(tenant.defenderWatermark.getTime() - WATERMARK_OVERLAP_MS)
          : null;

      // Tags first (full passes): new findings take them when inserted, rather than being rewritten after.
      const tagStep: TagStepInput = {
        client: azure,
        db: client,
        log,
        azureTenantId: tenant.id,
        subscriptionIds,
        mode: options.mode,
        useResourceGraph: tenant.useResourceGraph,
        lastFullSyncAt: tenant.lastFullSyncAt,
      };
      const tagProblems = await stageResourceTags(tagStep);
      problems.push(...tagProblems);

      // Secure scores and regulatory compliance depend on nothing the assessment pass writes: they are
      // read (and written, through the pool) while the pass runs, so their requests overlap its writes.
      // Compliance goes early only when Resource Graph has just answered the tag listing; otherwise it
      // waits for the pass to know whether Resource Graph works (else it would fail and fall back twice).
      const postureLog = concurrentLog(log);
      const complianceEarly =
        options.mode === "full" && strategy === "resource-graph" && tenant.useResourceGraph && tagProblems.length === 0;
      posture = (async () => {
        // Resource Graph passes read the scores there too: two queries per batch instead of two listings per subscription.
        const scores = strategy === "resource-graph" ? ingestSecureScoresFromGraph : ingestSecureScores;
        await scores({ client: azure, db: pool(), log: postureLog, subscriptionIds });
        if (complianceEarly) await ingestComplianceFromGraph({ client: azure, db: pool(), log: postureLog, subscriptionIds });
        postureLog.finish();
      })();
      // Settled (and its failure rethrown) after the pass; never left unobserved meanwhile.
      posture.catch(() => undefined);

      // A full pass over existing findings stages its pages and merges once (see finding-writer.ts).
      const findings = await createFindingWriter(client, {
        runId: options.runId,
        azureTenantId: tenant.id,
        now,
        mode: options.mode === "full" && !isFirst ? "staged" : "direct",
      });
      const recommendations = await createRecommendationWriter(client);
      const pass = await runAssessmentPass({
        client: azure,
        log,
        findings,
        recommendations,
        mode: options.mode,
        strategy,
        subscriptionIds,
        since,
        eventsPerFinding: !isFirst,
        expectedTotal: existingCount,
        retryDelayMs: options.retryDelayMs,
        cloudResources: (rows) => upsertCloudResources(client, tenant.id, rows),
      });
      log.set("strategy", pass.strategy);
      log.set("assessmentsSeen", pass.seen);
      if (pass.failed.length > 0) problems.push(`the assessments of ${pass.failed.length} subscriptions could not be listed`);
      if (isFirst && pass.newByKey.size > 0) {
        // A first ingestion records one event per recommendation rather than one per finding.
        await log.events(
          [...pass.newByKey].map(([key, n]) => ({
            action: "new_finding",
            entityType: "recommendation",
            entityId: key,
            after: { count: n },
            message: `${n} new findings (first ingestion)`,
          })),
        );
      }

      if (options.mode === "full" && !isFirst) {
        log.step("merge");
        accountWrites(log, pass, await findings.merge());
      }
      const changedKeys = new Set(pass.changedKeys);
      if (options.mode === "full" && !isFirst) {
        log.step("removals");
        const removed = await findings.markRemoved(pass.complete);
        log.count("findings.removed", removed.removed);
        for (const key of removed.keys) changedKeys.add(key);
      }
      const reseverity = recommendations.severityChanged();
      if (reseverity.length > 0) {
        // Findings carry a copy of the severity (for filtering); keep it in step with the catalog.
        await applySeverityChanges(client, reseverity);
        for (const key of reseverity) changedKeys.add(key);
      }

      problems.push(...(await applyResourceTags(tagStep)));

      // After the findings: sub-assessments attach to them (and go with those no longer unhealthy).
      problems.push(
        ...(await ingestSubAssessments({
          client: azure,
          db: client,
          log,
          azureTenantId: tenant.id,
          subscriptionIds: options.mode === "full" ? pass.complete : subscriptionIds,
          mode: options.mode,
          since,
          useResourceGraph: pass.strategy === "resource-graph",
          now,
        })),
      );

      const isGovernanceComplete = await ingestGovernance({
        client: azure,
        db: client,
        log,
        azureTenantId: tenant.id,
        subscriptionIds,
        useResourceGraph: pass.strategy === "resource-graph",
        mode: options.mode,
        now,
      });
      if (!isGovernanceComplete) problems.push("some governance assignments could not be read");

      log.step("summaries");
      // After a full pass every recommendation may have moved; otherwise only those that changed (governance
      // changes marked theirs dirty through the triggers).
      await refreshRecommendationSummaries(options.mode === "full" ? {} : { keys: [...changedKeys] });

      log.step("posture");
      await posture;
      if (options.mode === "full" && !complianceEarly) {
        const ingest = pass.strategy === "resource-graph" ? ingestComplianceFromGraph : ingestCompliance;
        await ingest({ client: azure, db: pool(), log, subscriptionIds });
      }

      const counts = log.counts();
      if (Number(counts.errors ?? 0) > 0 && !problems.length) problems.push(`${String(counts.errors)} listings failed`);
      if (Number(counts.skipped ?? 0) > 0) problems.push(`${String(counts.skipped)} items from Defender were skipped as unreadable`);

      const finishedAt = new Date();
      const watermark =
        pass.maxStatusChangedAt && (!tenant.defenderWatermark || pass.maxStatusChangedAt > tenant.defenderWatermark)
          ? pass.maxStatusChangedAt
          : undefined;
      await db().azureTenant.update({
        where: { id: tenant.id },
        data: {
          lastSyncAt: finishedAt,
          nextSyncAt: new Date(finishedAt.getTime() + tenant.syncIntervalMinutes * 60_000),
          ...(watermark ? { defenderWatermark: watermark } : {}),
          ...(options.mode === "full" && pass.failed.length === 0 ? { lastFullSyncAt: finishedAt } : {}),
          // Sync bookkeeping is not a configuration change: keep updatedAt (it versions cached clients).
          updatedAt: tenant.updatedAt,
        },
      });
      if (options.mode === "full" && pass.complete.length > 0) {
        await db().subscription.updateMany({
          where: { azureTenantId: tenant.id, subscriptionId: { in: pass.complete } },
          data: { lastIngestedAt: finishedAt },
        });
      }
      log.step("done");
      await log.flush();
      return { status: problems.length > 0 ? "partial" : "succeeded", strategy: pass.strategy, counts, problems };
    } finally {
      // A pass that failed leaves nothing running behind it: the concurrent reads end before the lock goes.
      if (posture) await posture.catch(() => undefined);
      await unlockTenant(client, azureTenantId).catch(() => {
        isBroken = true;
      });
    }
  } finally {
    // The temp table goes with the session; a connection in an unknown state is not reused.
    await resetSession(client).catch(() => {
      isBroken = true;
    });
    client.release(isBroken);
  }
}
