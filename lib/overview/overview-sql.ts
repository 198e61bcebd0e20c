import "server-only";
import { db, pool } from "@/lib/db";
import { type TOverviewRun, type TOverviewSync } from "@/lib/schemas/overview";

// The SQL of overview.ts (raw SQL lives in *-sql.ts modules or lib/db/: docs/ARCHITECTURE.md, "Boundaries").

export type LastRun = {
  ownerId: string;
  id: string;
  status: TOverviewRun["status"];
  queuedAt: Date;
  finishedAt: Date | null;
  error: string | null;
};

/** The latest run of each connection and tenant (one index scan each, not the whole history). */
export const LAST_RUNS_SQL = `
  SELECT o."ownerId", r."id", r."status", r."queuedAt", r."finishedAt", r."error"
  FROM unnest($1::uuid[], $2::bool[]) AS o("ownerId", "isTenant")
  CROSS JOIN LATERAL (
    SELECT * FROM "SyncRun" s
    WHERE (NOT o."isTenant" AND s."connectionId" = o."ownerId") OR (o."isTenant" AND s."azureTenantId" = o."ownerId")
    ORDER BY s."queuedAt" DESC LIMIT 1
  ) r`;

export async function syncsOf(): Promise<TOverviewSync[]> {
  const [connections, tenants] = await Promise.all([
    db().serviceNowConnection.findMany({
      where: { deletedAt: null },
      orderBy: { name: "asc" },
      select: { id: true, name: true, lastSyncAt: true, nextSyncAt: true, itsmEnabled: true, ccEnabled: true },
    }),
    db().azureTenant.findMany({
      where: { deletedAt: null },
      orderBy: { name: "asc" },
      select: { id: true, name: true, lastSyncAt: true, nextSyncAt: true },
    }),
  ]);
  const owners = [...connections.map((c) => ({ id: c.id, isTenant: false })), ...tenants.map((t) => ({ id: t.id, isTenant: true }))];
  const { rows } = owners.length
    ? await pool().query<LastRun>(LAST_RUNS_SQL, [owners.map((o) => o.id), owners.map((o) => o.isTenant)])
    : { rows: [] };
  const last = new Map(rows.map((r) => [r.ownerId, r]));
  const run = (id: string) => {
    const r = last.get(id);
    return r
      ? { id: r.id, status: r.status, queuedAt: r.queuedAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null, error: r.error }
      : null;
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
    ...tenants.map((t) => ({
      kind: "azure" as const,
      id: t.id,
      name: t.name,
      lastSyncAt: t.lastSyncAt?.toISOString() ?? null,
      nextSyncAt: t.nextSyncAt?.toISOString() ?? null,
      lastRun: run(t.id),
      modules: [],
    })),
  ];
}
