// What every drill checks at the end, read from the database and the emulators (never from the
// product's own code): each returns the problems it found — an empty list is a pass.
//   - tickets: PostureDesk and ServiceNow hold the same tickets one to one (no duplicate, none lost),
//     every ticket has its links, a finding has at most one active ticket per connection;
//   - history: one "ticket.create" audit entry per ticket, one "created" sync event per rule ticket;
//   - runs: nothing left queued or running, no two runs of a connection overlapping in time, every
//     executed run carries the pg-boss job that ran it;
//   - jobs: every pg-boss job completed, and was fetched once (retry_count 0);
//   - concurrency (watched while the drill runs): never two runs of one connection at once.
import type pg from "pg";
import type { Control } from "./http";
import { sleep } from "./procs";

export type DrillConnection = { id: string; correlationPrefix: string };

const SN_TABLES = ["incident", "problem", "change_request"] as const;

type SnRecord = { sys_id: string; number: string; correlation_id: string };

/** Every ServiceNow record whose correlation id carries the connection's prefix. */
export async function serviceNowRecords(control: Control, prefix: string): Promise<SnRecord[]> {
  const out: SnRecord[] = [];
  for (const table of SN_TABLES) {
    for (let offset = 0; ; offset += 1000) {
      const q = encodeURIComponent(`correlation_idSTARTSWITH${prefix}:`);
      const page = await control<{ result: SnRecord[] }>(
        "servicenow",
        "GET",
        `/_emulator/records/${table}?sysparm_query=${q}&limit=1000&offset=${offset}`,
      );
      out.push(...page.result);
      if (page.result.length < 1000) break;
    }
  }
  return out;
}

export async function checkTickets(
  sql: pg.Pool,
  control: Control,
  connection: DrillConnection,
): Promise<{ problems: string[]; tickets: number; links: number }> {
  const problems: string[] = [];
  const { rows: tickets } = await sql.query<{ id: string; sysId: string; correlationId: string | null; links: number }>(
    `SELECT t."id", t."sysId", t."correlationId", (SELECT count(*)::int FROM "TicketLink" l WHERE l."ticketId" = t."id") AS links
       FROM "Ticket" t WHERE t."connectionId" = $1::uuid AND t."module" = 'itsm'`,
    [connection.id],
  );
  const sn = await serviceNowRecords(control, connection.correlationPrefix);
  const snCorrelations = new Set(sn.map((r) => r.correlation_id));
  if (snCorrelations.size !== sn.length) problems.push(`ServiceNow holds ${sn.length - snCorrelations.size} duplicate correlation id(s)`);
  const dbSys = new Set(tickets.map((t) => t.sysId));
  const snSys = new Set(sn.map((r) => r.sys_id));
  const onlySn = sn.filter((r) => !dbSys.has(r.sys_id));
  const onlyDb = tickets.filter((t) => !snSys.has(t.sysId));
  if (onlySn.length)
    problems.push(
      `${onlySn.length} ServiceNow record(s) without a PostureDesk ticket: ${onlySn
        .slice(0, 5)
        .map((r) => r.number)
        .join(", ")}`,
    );
  if (onlyDb.length) problems.push(`${onlyDb.length} PostureDesk ticket(s) missing in ServiceNow`);
  const dbCorrelations = new Set(tickets.map((t) => t.correlationId));
  if (dbCorrelations.size !== tickets.length) problems.push("PostureDesk holds duplicate correlation ids");
  const unlinked = tickets.filter((t) => t.links === 0);
  if (unlinked.length) problems.push(`${unlinked.length} ticket(s) without any finding link (half-written)`);
  const { rows: multi } = await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT "findingId" FROM "TicketLink" WHERE "activeConnectionId" = $1::uuid GROUP BY "findingId", "module" HAVING count(*) > 1) x`,
    [connection.id],
  );
  if (multi[0]!.n) problems.push(`${multi[0]!.n} finding(s) with more than one active ticket`);
  const { rows: orphanLinks } = await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "TicketLink" l LEFT JOIN "Ticket" t ON t."id" = l."ticketId" WHERE l."connectionId" = $1::uuid AND t."id" IS NULL`,
    [connection.id],
  );
  if (orphanLinks[0]!.n) problems.push(`${orphanLinks[0]!.n} link(s) to a ticket that does not exist`);
  const { rows: linkCount } = await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "TicketLink" WHERE "activeConnectionId" = $1::uuid`,
    [connection.id],
  );
  return { problems, tickets: tickets.length, links: linkCount[0]!.n };
}

export async function checkHistory(sql: pg.Pool, connectionId: string): Promise<string[]> {
  const problems: string[] = [];
  const { rows } = await sql.query<{ id: string; number: string; createdByType: string; audits: number; created: number }>(
    `SELECT t."id", t."number", t."createdByType",
            (SELECT count(*)::int FROM "AuditLog" a WHERE a."action" = 'ticket.create' AND a."targetId" = t."id"::text) AS audits,
            (SELECT count(*)::int FROM "SyncEvent" e WHERE e."action" = 'created' AND e."ticketId" = t."id") AS created
       FROM "Ticket" t WHERE t."connectionId" = $1::uuid AND t."module" = 'itsm'`,
    [connectionId],
  );
  const badAudit = rows.filter((r) => r.audits !== 1);
  if (badAudit.length)
    problems.push(
      `${badAudit.length} ticket(s) without exactly one "ticket.create" audit entry: ${badAudit
        .slice(0, 5)
        .map((r) => `${r.number}×${r.audits}`)
        .join(", ")}`,
    );
  const badCreated = rows.filter((r) => r.createdByType === "rule" && r.created !== 1);
  if (badCreated.length)
    problems.push(
      `${badCreated.length} rule ticket(s) without exactly one "created" sync event: ${badCreated
        .slice(0, 5)
        .map((r) => `${r.number}×${r.created}`)
        .join(", ")}`,
    );
  return problems;
}

export type RunRow = {
  id: string;
  kind: string;
  trigger: string;
  status: string;
  jobId: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
  counts: Record<string, unknown>;
};

export async function runsOf(sql: pg.Pool, where: { connectionId?: string; azureTenantId?: string }): Promise<RunRow[]> {
  const { rows } = await sql.query<RunRow>(
    `SELECT "id", "kind"::text, "trigger"::text, "status"::text, "jobId", "startedAt", "finishedAt", "error", "counts" FROM "SyncRun"
      WHERE ($1::uuid IS NULL OR "connectionId" = $1::uuid) AND ($2::uuid IS NULL OR "azureTenantId" = $2::uuid) ORDER BY "queuedAt"`,
    [where.connectionId ?? null, where.azureTenantId ?? null],
  );
  return rows;
}

export async function checkRuns(
  sql: pg.Pool,
  where: { connectionId?: string; azureTenantId?: string },
): Promise<{ problems: string[]; runs: RunRow[] }> {
  const problems: string[] = [];
  const runs = await runsOf(sql, where);
  const open = runs.filter((r) => r.status === "queued" || r.status === "running");
  if (open.length) problems.push(`${open.length} run(s) still ${open.map((r) => r.status).join("/")}`);
  const executed = runs.filter((r) => r.startedAt).sort((a, b) => a.startedAt!.getTime() - b.startedAt!.getTime());
  for (let i = 1; i < executed.length; i++) {
    const prev = executed[i - 1]!;
    const cur = executed[i]!;
    // An interrupted run's finishedAt is when the next lease holder closed it, which is after that holder started.
    if (prev.error?.startsWith("Interrupted")) continue;
    if (prev.finishedAt && cur.startedAt!.getTime() < prev.finishedAt.getTime())
      problems.push(`runs ${prev.id} and ${cur.id} overlap in time`);
  }
  const noJob = executed.filter((r) => !r.jobId);
  if (noJob.length) problems.push(`${noJob.length} executed run(s) without the job that ran them`);
  return { problems, runs };
}

export type JobRow = { id: string; name: string; state: string; retryCount: number; singletonKey: string | null; startAfter: Date };

/** pg-boss jobs of the product's queues, live and archived; only one connection's sync jobs when given. */
export async function jobsOf(sql: pg.Pool, connectionId?: string): Promise<JobRow[]> {
  const where = `name NOT LIKE '\\_\\_%' AND ($1::text IS NULL OR data->>'connectionId' = $1)`;
  const { rows } = await sql.query<JobRow>(
    `SELECT id::text, name, state::text, retry_count AS "retryCount", singleton_key AS "singletonKey", start_after AS "startAfter" FROM pgboss.job WHERE ${where}
     UNION ALL
     SELECT id::text, name, state::text, retry_count, singleton_key, start_after FROM pgboss.archive WHERE ${where}`,
    [connectionId ?? null],
  );
  return rows;
}

/**
 * Every job completed (or still waiting for a start time in the future) and was fetched exactly once.
 * `killedJobs`: jobs whose worker a drill killed stay "active" until pg-boss's expiry (hours; the
 * connection's lease, not the queue, is what keeps runs apart), which is expected.
 */
export async function checkJobs(
  sql: pg.Pool,
  runs: RunRow[],
  options: { connectionId?: string; killedJobs?: Set<string> } = {},
): Promise<{ problems: string[]; jobs: JobRow[] }> {
  const problems: string[] = [];
  const jobs = await jobsOf(sql, options.connectionId);
  const killed = options.killedJobs ?? new Set<string>();
  const now = Date.now();
  const bad = jobs.filter(
    (j) =>
      !(j.state === "completed" || (j.state === "created" && j.startAfter.getTime() > now) || (j.state === "active" && killed.has(j.id))),
  );
  if (bad.length)
    problems.push(
      `${bad.length} job(s) not completed: ${bad
        .slice(0, 5)
        .map((j) => `${j.name} ${j.state}`)
        .join(", ")}`,
    );
  const twice = jobs.filter((j) => j.retryCount > 0);
  if (twice.length) problems.push(`${twice.length} job(s) fetched more than once (retry_count > 0)`);
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const unknown = runs.filter((r) => r.jobId && !byId.has(r.jobId));
  if (unknown.length) problems.push(`${unknown.length} run(s) name a job that pg-boss does not know`);
  return { problems, jobs };
}

/** Sync runs finished per run id across the workers' logs: each executed run must be reported once. */
export function runsFinishedTwice(finishedLines: Array<Record<string, unknown>>): string[] {
  const seen = new Map<string, number>();
  for (const l of finishedLines) if (typeof l.runId === "string") seen.set(l.runId, (seen.get(l.runId) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([id, n]) => `run ${id} reported finished ${n} times`);
}

/** Records the most runs of one connection seen running at the same time (must stay ≤ 1). */
export function watchConcurrency(sql: pg.Pool): { max: () => number; stop: () => void } {
  let max = 0;
  let isStopped = false;
  void (async () => {
    while (!isStopped) {
      const { rows } = await sql
        .query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "SyncRun" WHERE "status" = 'running' AND "kind" IN ('servicenow_sync', 'targeted_sync') GROUP BY "connectionId" ORDER BY 1 DESC LIMIT 1`,
        )
        .catch(() => ({ rows: [] as Array<{ n: number }> }));
      max = Math.max(max, rows[0]?.n ?? 0);
      await sleep(100);
    }
  })();
  return { max: () => max, stop: () => (isStopped = true) };
}
