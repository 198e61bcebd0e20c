import "server-only";

// GET /api/overview and the landing page (/): the headline numbers of the compliance view (secure
// score with its last 30 days, unhealthy findings by severity, open / overdue / drift tickets, coverage)
// and the state of every connection's sync with the most recent runs.
import { type Actor } from "@/lib/auth/actor";
import { type AuditActor } from "@/lib/audit/audit";
import { currentPosture, trendOf, withLiveToday } from "@/lib/compliance/summary";
import { assertCanRead } from "@/lib/compliance/scope";
import { db, pool } from "@/lib/db";
import { addDays, utcToday } from "@/lib/schemas/compliance";
import { type TOverview, type TOverviewRun, type TOverviewSync } from "@/lib/schemas/overview";

const RECENT_RUNS = 8;

type LastRun = { ownerId: string; id: string; status: TOverviewRun["status"]; queuedAt: Date; finishedAt: Date | null; error: string | null };

/** The latest run of each connection and tenant (one index scan each, not the whole history). */
const LAST_RUNS_SQL = `
  SELECT o."ownerId", r."id", r."status", r."queuedAt", r."finishedAt", r."error"
  FROM unnest($1::uuid[], $2::bool[]) AS o("ownerId", "isTenant")
  CROSS JOIN LATERAL (
    SELECT * FROM "SyncRun" s
    WHERE (NOT o."isTenant" AND s."connectionId" = o."ownerId") OR (o."isTenant" AND s."azureTenantId" = o."ownerId")
    ORDER BY s."queuedAt" DESC LIMIT 1
  ) r`;

/** A number at a dotted path of a run's counts ("cc.results.inserted"); 0 when absent. */
function count(counts: unknown, key: string): number {
  let v: unknown = counts;
  for (const part of key.split(".")) v = typeof v === "object" && v !== null ? (v as Record<string, unknown>)[part] : undefined;
  return typeof v === "number" ? v : 0;
}

/** What a run changed: tickets and links, plus test results the CC export inserted or changed. */
const CHANGE_COUNTS = ["created", "updated", "resolved", "reopened", "linked", "cc.results.inserted", "cc.results.updated"];

async function syncsOf(): Promise<TOverviewSync[]> {
  const [connections, tenants] = await Promise.all([
    db().serviceNowConnection.findMany({ where: { deletedAt: null }, orderBy: { name: "asc" }, select: { id: true, name: true, lastSyncAt: true, nextSyncAt: true, itsmEnabled: true, ccEnabled: true } }),
    db().azureTenant.findMany({ where: { deletedAt: null }, orderBy: { name: "asc" }, select: { id: true, name: true, lastSyncAt: true, nextSyncAt: true } }),
  ]);
  const owners = [...connections.map((c) => ({ id: c.id, isTenant: false })), ...tenants.map((t) => ({ id: t.id, isTenant: true }))];
  const { rows } = owners.length ? await pool().query<LastRun>(LAST_RUNS_SQL, [owners.map((o) => o.id), owners.map((o) => o.isTenant)]) : { rows: [] };
  const last = new Map(rows.map((r) => [r.ownerId, r]));
  const run = (id: string) => {
    const r = last.get(id);
    return r ? { id: r.id, status: r.status, queuedAt: r.queuedAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null, error: r.error } : null;
  };
  return [
    ...connections.map((c) => ({
      kind: "servicenow" as const,
      id: c.id,
      name: c.name,
      lastSyncAt: c.lastSyncAt?.toISOString() ?? null,
      nextSyncAt: c.nextSyncAt?.toISOString() ?? null,
      lastRun: run(c.id),
      modules: [...(c.itsmEnabled ? (["itsm"] as const) : []), ...(c.ccEnabled ? (["cc"] as const) : [])],
    })),
    ...tenants.map((t) => ({ kind: "azure" as const, id: t.id, name: t.name, lastSyncAt: t.lastSyncAt?.toISOString() ?? null, nextSyncAt: t.nextSyncAt?.toISOString() ?? null, lastRun: run(t.id), modules: [] })),
  ];
}

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

export async function getOverview(actor: Actor | AuditActor): Promise<TOverview> {
  assertCanRead(actor);
  const today = utcToday();
  const [posture, trend, syncs, runs] = await Promise.all([currentPosture(null), trendOf(null, addDays(today, -29), today), syncsOf(), recentRuns()]);
  return {
    secureScore: posture.secureScore,
    scoreTrend: withLiveToday(trend, posture, today).map((d) => ({ day: d.day, scorePercent: d.scorePercent })),
    findings: { high: posture.findings.high, medium: posture.findings.medium, low: posture.findings.low, unhealthy: posture.findings.unhealthy },
    tickets: posture.tickets,
    coverage: posture.coverage,
    syncs,
    recentRuns: runs,
    generatedAt: new Date().toISOString(),
  };
}
