import "server-only";

// GET /api/compliance/summary — what a manager reads on /compliance: secure score per subscription and
// overall, open unhealthy findings by severity, ticket coverage, open / overdue / drift tickets, the
// regulatory standards, SLA, and the trends of the range from the daily snapshots. Current numbers come
// from small tables kept up to date by ingestion and the sync (SecureScore, RecommendationSummary,
// RegulatoryControl) rather than from 100,000 findings; trends from ComplianceSnapshot (one row per day
// and subscription). A few independent queries run side by side.

import { type TComplianceDay, type TComplianceQuery, type TComplianceSummary, utcToday } from "@/lib/schemas/compliance";
import { refreshDirtySummaries } from "@/lib/recommendations/summary-sql";
import { slaOf } from "./sla-sql";
import { complianceDataVersion, type DataVersion } from "./version-sql";
import { standardsOf } from "./standards";
import { currentPosture, trendOf, type Posture } from "./summary-sql";
import { assertRole, type Caller } from "@/lib/auth/authorize";
export { currentPosture, trendOf, type Posture } from "./summary-sql";

/**
 * Today's point of a trend is the live numbers (the snapshot of today may predate the last ticket
 * change), so the charts end where the headline tiles are.
 */
export function withLiveToday(trend: TComplianceDay[], posture: Posture, today: string): TComplianceDay[] {
  const live: TComplianceDay = {
    day: today,
    scorePercent: posture.secureScore?.percent ?? null,
    high: posture.findings.high,
    medium: posture.findings.medium,
    low: posture.findings.low,
    coveredUnhealthy: posture.coverage.covered,
    coveragePercent: posture.coverage.percent,
    openTickets: posture.tickets.open,
    overdueTickets: posture.tickets.overdue,
    drift: posture.tickets.drift,
  };
  return [...trend.filter((d) => d.day !== today), live];
}

/**
 * Computed summaries by query, each with the version of the data it was computed from
 * (complianceDataVersion). A summary is served again while that version is unchanged — any write that
 * moves a number changes it, ingestion's summary refresh included, and the next request computes it
 * again — for CACHE_MS as is; "overdue" moves with the clock, so after CACHE_MS the same summary is
 * still served, while one recomputation runs in the background, up to STALE_MS after it was computed
 * (a reader never waits for the clock's refresh; past STALE_MS it does). Requests for a summary being
 * computed share that computation. A summary computed while a writer had not yet committed (an
 * unsettled version) is not kept: it may lack that writer's data under the number that announces it.
 * Per process; a few dozen entries at most. The hit path is one query (the version, the lock check and
 * the dirty flag; docs/PERFORMANCE.md, "List APIs").
 */
const CACHE_MS = 30_000;
const STALE_MS = 60_000;
const CACHE_MAX = 64;
const cache = new Map<string, { version: string; at: number; value: TComplianceSummary }>();
const computing = new Map<string, Promise<TComplianceSummary>>();

export async function getComplianceSummary(actor: Caller, query: TComplianceQuery): Promise<TComplianceSummary> {
  assertRole(actor, "manager", "Reading compliance");
  let data = await complianceDataVersion();
  // Ticket changes since the last refresh are folded in first (that moves the version).
  if (data.isDirty) {
    await refreshDirtySummaries();
    data = await complianceDataVersion();
  }
  const key = JSON.stringify([query.subscriptionId ?? null, query.from, query.to]);
  const hit = cache.get(key);
  const age = hit ? Date.now() - hit.at : Infinity;
  if (hit && hit.version === data.version && age < STALE_MS && hit.value.generatedAt.slice(0, 10) === utcToday()) {
    if (age >= CACHE_MS) void compute(key, data, query).catch(() => undefined); // the next request tries again
    return hit.value;
  }
  return compute(key, data, query);
}

/**
 * Computes one summary (or joins the computation already running for the same query and settled
 * version) and caches it; an unsettled one is computed on its own and not kept.
 */
function compute(key: string, data: DataVersion, query: TComplianceQuery): Promise<TComplianceSummary> {
  if (!data.settled) return computeComplianceSummary(query);
  const id = `${key}|${data.version}`;
  const running = computing.get(id);
  if (running) return running;
  const started = Date.now();
  const promise = computeComplianceSummary(query)
    .then((value) => {
      cache.delete(key);
      cache.set(key, { version: data.version, at: started, value });
      if (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value!);
      return value;
    })
    .finally(() => computing.delete(id));
  computing.set(id, promise);
  return promise;
}

async function computeComplianceSummary(query: TComplianceQuery): Promise<TComplianceSummary> {
  const sub = query.subscriptionId ?? null;
  const [posture, trend, standards, sla] = await Promise.all([
    currentPosture(sub),
    trendOf(sub, query.from, query.to),
    standardsOf(sub),
    slaOf(query),
  ]);
  const today = utcToday();
  const days = query.from <= today && today <= query.to ? withLiveToday(trend, posture, today) : trend;
  return {
    range: { from: query.from, to: query.to },
    subscriptionId: sub,
    ...posture,
    trend: days,
    standards,
    sla,
    generatedAt: new Date().toISOString(),
  };
}
