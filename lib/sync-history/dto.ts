import "server-only";

// SyncRun rows → the API view: names of the connection / tenant and of whoever asked for the run,
// progress as a percentage, counts flattened to numbers, duration.
import { db } from "@/lib/db";
import { type SyncRun } from "@/lib/generated/prisma/client";
import { type TSyncAction, type TSyncRunDto } from "@/lib/schemas/sync-runs";

export type RunRow = SyncRun & {
  connection: { id: string; name: string } | null;
  azureTenant: { id: string; name: string } | null;
};

export const RUN_INCLUDE = {
  connection: { select: { id: true, name: true } },
  azureTenant: { select: { id: true, name: true } },
} as const;

const FINISHED = new Set(["succeeded", "partial", "failed", "canceled"]);

/**
 * Numeric leaves of a run's counts, keyed by their dotted path: { defender: { new_finding: 3 } } →
 * { "defender.new_finding": 3 }. Anything else (labels, lists) is not a count and is left out.
 */
export function flattenCounts(value: unknown, prefix = "", out: Record<string, number> = {}, depth = 0): Record<string, number> {
  if (depth > 4 || typeof value !== "object" || value === null || Array.isArray(value)) return out;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof v === "number" && Number.isFinite(v)) out[path] = v;
    else flattenCounts(v, path, out, depth + 1);
  }
  return out;
}

export function percentOf(done: number, total: number): number | null {
  if (total <= 0) return null;
  return Math.max(0, Math.min(100, Math.round((done / total) * 100)));
}

type Requester = { type: "user" | "token" | "rule" | "system"; name: string | null };

/** Display names of the people, tokens and rules that requested these runs (one query per kind). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Display names of the people, tokens and rules that requested these runs (one query per kind). */
async function requesters(rows: SyncRun[]): Promise<Map<string, string>> {
  const ids = (type: string) => [
    ...new Set(
      rows.filter((r) => r.requestedByType === type && r.requestedById && UUID.test(r.requestedById)).map((r) => r.requestedById!),
    ),
  ];
  const [userIds, tokenIds, ruleIds] = [ids("user"), ids("token"), ids("rule")];
  const none = Promise.resolve([] as Array<{ id: string; name: string }>);
  const [users, tokens, rules] = await Promise.all([
    userIds.length ? db().user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }) : none,
    tokenIds.length ? db().apiToken.findMany({ where: { id: { in: tokenIds } }, select: { id: true, name: true } }) : none,
    ruleIds.length ? db().automationRule.findMany({ where: { id: { in: ruleIds } }, select: { id: true, name: true } }) : none,
  ]);
  return new Map([
    ...users.map((u) => [`user:${u.id}`, u.name] as const),
    ...tokens.map((t) => [`token:${t.id}`, `API token "${t.name}"`] as const),
    ...rules.map((r) => [`rule:${r.id}`, `Rule "${r.name}"`] as const),
  ]);
}

/** Events per action of each run (one grouped query on the (runId, action) index). */
async function eventTallies(runIds: string[]): Promise<Map<string, Partial<Record<TSyncAction, number>>>> {
  const out = new Map<string, Partial<Record<TSyncAction, number>>>();
  if (runIds.length === 0) return out;
  const rows = await db().syncEvent.groupBy({ by: ["runId", "action"], where: { runId: { in: runIds } }, _count: { _all: true } });
  for (const r of rows) out.set(r.runId, { ...out.get(r.runId), [r.action]: r._count._all });
  return out;
}

function toDto(row: RunRow, names: Map<string, string>, now: number, eventCounts: Partial<Record<TSyncAction, number>>): TSyncRunDto {
  const started = row.startedAt?.getTime() ?? null;
  const isFinished = FINISHED.has(row.status);
  const end = row.finishedAt?.getTime() ?? (isFinished ? null : now);
  const requestedBy: Requester | null = row.requestedByType
    ? {
        type: row.requestedByType,
        name: row.requestedByType === "system" ? "PostureDesk" : (names.get(`${row.requestedByType}:${row.requestedById}`) ?? null),
      }
    : null;
  return {
    id: row.id,
    kind: row.kind,
    trigger: row.trigger,
    status: row.status,
    connection: row.connection,
    azureTenant: row.azureTenant,
    target: row.targetTable && row.targetSysId ? { table: row.targetTable, sysId: row.targetSysId } : null,
    phase: row.phase,
    progress: {
      done: row.progressDone,
      total: row.progressTotal,
      percent: isFinished && row.status === "succeeded" ? 100 : percentOf(row.progressDone, row.progressTotal),
    },
    counts: flattenCounts(row.counts),
    error: row.error,
    requestedBy,
    queuedAt: row.queuedAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    durationMs: started !== null && end !== null ? Math.max(0, end - started) : null,
    heartbeatAt: row.heartbeatAt?.toISOString() ?? null,
    isFinished,
    eventCounts,
  };
}

export async function toSyncRunDtos(rows: RunRow[]): Promise<TSyncRunDto[]> {
  const [names, tallies] = await Promise.all([requesters(rows), eventTallies(rows.map((r) => r.id))]);
  const now = Date.now();
  return rows.map((r) => toDto(r, names, now, tallies.get(r.id) ?? {}));
}
