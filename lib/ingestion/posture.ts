import "server-only";

// Secure score (and its controls) and regulatory compliance (standards → controls → assessments) per
// subscription, upserted set-based; rows Azure no longer lists are dropped once a subscription's
// listing completed. Requests run a few at a time: compliance alone is ~40 listings per subscription,
// which is why a Resource Graph pass reads it from `securityresources` instead (ingestComplianceFromGraph).
import type pg from "pg";
import { type AzureClient } from "@/lib/azure/client";
import { SUBSCRIPTIONS_PER_REQUEST } from "@/lib/azure/resource-graph";
import {
  type AzureSecureScore,
  type AzureSecureScoreControl,
  secureScoreControlOf,
  secureScoreOf,
  ZSdkComplianceAssessment,
  ZSdkComplianceControl,
  ZSdkComplianceStandard,
  ZSdkSecureScore,
  ZSdkSecureScoreControl,
} from "@/lib/azure/schemas";
import { isAppError } from "@/lib/http/errors";
import { type RunLog } from "./run-log";
import { writeScores, writeCompliance, type Standard, type Control, type Assessment } from "./posture-sql";

const CONCURRENCY = 4;

/** Runs `fn` over `items`, at most `limit` at a time. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

async function all<T>(pages: AsyncGenerator<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...page);
  return out;
}

/** Writes go through the pool: the listings run in parallel and one connection runs one query at a time. */
type Input = { client: AzureClient; db: pg.Pool; log: RunLog; subscriptionIds: string[] };

async function failed(log: RunLog, what: string, error: unknown): Promise<void> {
  log.count("errors");
  await log.events([
    {
      action: "error",
      entityType: "listing",
      entityId: what,
      message: isAppError(error) ? error.message : String(error),
      isRetryable: true,
    },
  ]);
}

export async function ingestSecureScores({ client, db, log, subscriptionIds }: Input): Promise<void> {
  log.step("scores");
  await mapLimit(subscriptionIds, CONCURRENCY, async (subscriptionId) => {
    let scores: AzureSecureScore[];
    let controls: AzureSecureScoreControl[];
    try {
      [scores, controls] = await Promise.all([all(client.secureScores(subscriptionId)), all(client.secureScoreControls(subscriptionId))]);
    } catch (error) {
      await failed(log, `secure score of ${subscriptionId}`, error);
      return;
    }
    await writeScores(db, log, [subscriptionId], scores, controls);
  });
}

/**
 * Secure scores through Resource Graph (`microsoft.security/securescores` and `…/securescorecontrols`, the
 * queries of Microsoft's secure score article): two queries per batch of subscriptions instead of two ARM
 * listings per subscription — 2,500 subscriptions cost 20 requests, not 5,000. A batch Resource Graph cannot
 * answer falls back to the ARM listings for its subscriptions.
 */
export async function ingestSecureScoresFromGraph({ client, db, log, subscriptionIds }: Input): Promise<void> {
  log.step("scores");
  for (let i = 0; i < subscriptionIds.length; i += SUBSCRIPTIONS_PER_REQUEST) {
    const batch = subscriptionIds.slice(i, i + SUBSCRIPTIONS_PER_REQUEST);
    const bySubscription = new Map<string, { scores: AzureSecureScore[]; controls: AzureSecureScoreControl[] }>(
      batch.map((s) => [s.toLowerCase(), { scores: [], controls: [] }]),
    );
    try {
      for await (const page of client.resourceGraph.secureScores(batch)) {
        for (const row of page) {
          const target = bySubscription.get(row.subscriptionId);
          if (!target) continue;
          if (row.kind === "score") target.scores.push(secureScoreOf(row.subscriptionId, ZSdkSecureScore.parse(row.item)));
          else target.controls.push(secureScoreControlOf(row.subscriptionId, ZSdkSecureScoreControl.parse(row.item)));
        }
      }
    } catch (error) {
      await failed(log, `secure scores (Resource Graph) of ${batch.length} subscriptions; listing them one by one`, error);
      await ingestSecureScores({ client, db, log, subscriptionIds: batch });
      continue;
    }
    log.count("scores.graphBatches");
    const all = [...bySubscription.values()];
    await writeScores(
      db,
      log,
      [...bySubscription.keys()],
      all.flatMap((s) => s.scores),
      all.flatMap((s) => s.controls),
    );
  }
}

export async function ingestCompliance({ client, db, log, subscriptionIds }: Input): Promise<void> {
  log.step("compliance");
  // Subscriptions one after the other; the listings inside one run in parallel.
  for (const subscriptionId of subscriptionIds) {
    let standards: Standard[];
    let controls: Control[];
    let assessments: Assessment[];
    try {
      standards = await all(client.complianceStandards(subscriptionId));
      controls = (
        await mapLimit(standards, CONCURRENCY, async (s) =>
          (await all(client.complianceControls(subscriptionId, s.name))).map((c) => ({ ...c, standardName: s.name })),
        )
      ).flat();
      assessments = (
        await mapLimit(controls, CONCURRENCY, async (c) =>
          (await all(client.complianceAssessments(subscriptionId, c.standardName, c.name))).map((a) => ({
            ...a,
            standardName: c.standardName,
            controlName: c.name,
          })),
        )
      ).flat();
    } catch (error) {
      await failed(log, `regulatory compliance of ${subscriptionId}`, error);
      continue;
    }
    const withSub = <T>(rows: T[]) => rows.map((r) => ({ ...r, subscriptionId }));
    await writeCompliance(db, log, [subscriptionId], withSub(standards), withSub(controls), withSub(assessments));
  }
}

/**
 * Regulatory compliance through Resource Graph: three queries (standards, controls, assessments) per
 * batch of subscriptions instead of one ARM listing per standard and per control (~40 per subscription).
 * A batch Resource Graph cannot answer falls back to the ARM listings for its subscriptions.
 */
export async function ingestComplianceFromGraph({ client, db, log, subscriptionIds }: Input): Promise<void> {
  log.step("compliance");
  for (let i = 0; i < subscriptionIds.length; i += SUBSCRIPTIONS_PER_REQUEST) {
    const batch = subscriptionIds.slice(i, i + SUBSCRIPTIONS_PER_REQUEST);
    const bySubscription = new Map<string, { standards: Standard[]; controls: Control[]; assessments: Assessment[] }>(
      batch.map((s) => [s.toLowerCase(), { standards: [], controls: [], assessments: [] }]),
    );
    try {
      for await (const page of client.resourceGraph.regulatoryCompliance(batch)) {
        for (const row of page) {
          const target = bySubscription.get(row.subscriptionId);
          if (!target) continue;
          if (row.kind === "standard") target.standards.push(ZSdkComplianceStandard.parse({ ...row.properties, name: row.name }));
          else if (row.kind === "control")
            target.controls.push({ ...ZSdkComplianceControl.parse({ ...row.properties, name: row.name }), standardName: row.standardName });
          else
            target.assessments.push({
              ...ZSdkComplianceAssessment.parse({ ...row.properties, name: row.name }),
              standardName: row.standardName,
              controlName: row.controlName!,
            });
        }
      }
    } catch (error) {
      await failed(log, `regulatory compliance (Resource Graph) of ${batch.length} subscriptions; listing them one by one`, error);
      await ingestCompliance({ client, db, log, subscriptionIds: batch });
      continue;
    }
    log.count("compliance.graphBatches");
    // One write for the batch: a few statements whatever the number of subscriptions in it.
    const entries = [...bySubscription];
    await writeCompliance(
      db,
      log,
      entries.map(([id]) => id),
      entries.flatMap(([subscriptionId, c]) => c.standards.map((r) => ({ ...r, subscriptionId }))),
      entries.flatMap(([subscriptionId, c]) => c.controls.map((r) => ({ ...r, subscriptionId }))),
      entries.flatMap(([subscriptionId, c]) => c.assessments.map((r) => ({ ...r, subscriptionId }))),
    );
  }
}
