import "server-only";

// GET /api/overview and the landing page (/): the headline numbers of the compliance view (secure
// score with its last 30 days, unhealthy findings by severity, open / overdue / drift tickets, coverage)
// and the state of every connection's sync with the most recent runs.

import { currentPosture, trendOf, withLiveToday } from "@/lib/compliance/summary";
import { db } from "@/lib/db";
import { addDays, utcToday } from "@/lib/schemas/compliance";
import { type TOverview, type TOverviewRun } from "@/lib/schemas/overview";
import { syncsOf } from "./overview-sql";
import { assertRole, type Caller } from "@/lib/auth/authorize";

const RECENT_RUNS = 8;

/** A number at a dotted path of a run's counts ("cc.results.inserted"); 0 when absent. */
function count(counts: unknown, key: string): number {
  let v: unknown = counts;
  for (const part of key.split(".")) v = typeof v === "object" && v !== null ? (v as Record<string, unknown>)[part] : undefined;
  return typeof v === "number" ? v : 0;
}

/** What a run changed: tickets and links, plus test results the CC export inserted or changed. */
const CHANGE_COUNTS = ["created", "updated", "resolved", "reopened", "linked", "cc.results.inserted", "cc.results.updated"];

async function recentRuns(): Promise<TOverviewRun[]> {
  const runs = await db().syncRun.findMany({
    orderBy: { queuedAt: "desc" },
    take: RECENT_RUNS,
    include: { connection: { select: { name: true } }, azureTenant: { select: { name: true } } },
  });
  return runs.map((r) => ({
    id: r.id,
    kind: r.kind,
    trigger: r.trigger,
    status: r.status,
    source: r.connection?.name ?? r.azureTenant?.name ?? "—",
    queuedAt: r.queuedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    durationMs: r.startedAt && r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : null,
    changes: CHANGE_COUNTS.reduce((n, k) => n + count(r.counts, k), 0),
    errors: count(r.counts, "errors"),
  }));
}

export async function getOverview(actor: Caller): Promise<TOverview> {
  assertRole(actor, "manager", "Reading compliance");
  const today = utcToday();
  const [posture, trend, syncs, runs] = await Promise.all([
    currentPosture(null),
    trendOf(null, addDays(today, -29), today),
    syncsOf(),
    recentRuns(),
  ]);
  return {
    secureScore: posture.secureScore,
    scoreTrend: withLiveToday(trend, posture, today).map((d) => ({ day: d.day, scorePercent: d.scorePercent })),
    findings: {
      high: posture.findings.high,
      medium: posture.findings.medium,
      low: posture.findings.low,
      unhealthy: posture.findings.unhealthy,
    },
    tickets: posture.tickets,
    coverage: posture.coverage,
    syncs,
    recentRuns: runs,
    generatedAt: new Date().toISOString(),
  };
}
