// Steps the drills share, all through the apps' public HTTP API: the Azure tenant, ServiceNow
// connections (each drill its own, with its own correlation prefix), a disjoint slice of the
// recommendations per drill (so drills never ticket the same findings), rules, Run now, settling.
import { randomBytes } from "node:crypto";
import type { Cluster } from "./cluster";
import { api, apiOk, type Control } from "./http";
import type { Proc } from "./procs";
import { waitFor } from "./procs";
import { checkHistory, checkTickets, type DrillConnection } from "./checks";
import { expectEmpty, expectThat } from "./expect";

export type DrillContext = {
  cluster: Cluster;
  control: Control;
  log: (m: string) => void;
  tenantId: string;
  /** Recommendation keys only this drill tickets. */
  keys: string[];
};

export type DrillResult = { name: string; seconds: number; figures: Record<string, string | number> };

export type Connection = DrillConnection & { name: string; webhookSecret: string };

export type PlannedTicket = { groupKey: string; findingIds: string[] };

/** Registers the emulator's tenant through one app and ingests it through the other (full pass, on a worker). */
export async function setUpTenant(cluster: Cluster, log: (m: string) => void): Promise<{ tenantId: string; seconds: number }> {
  const [a, b] = [cluster.apps[0]!, cluster.apps[1] ?? cluster.apps[0]!];
  const m = cluster.manifest;
  const started = performance.now();
  const tenant = await apiOk<{ id: string }>(a, cluster.token, "POST", "/api/azure-tenants", 201, {
    body: {
      name: "Contoso (drill)",
      tenantId: m.tenantId,
      clientId: m.entra.armServicePrincipal.clientId,
      clientSecret: m.entra.armServicePrincipal.clientSecret,
      authorityHost: m.entra.url,
      armEndpoint: m.arm.url,
      allowPrivateNetwork: true,
    },
  });
  const { runId } = await apiOk<{ runId: string }>(b, cluster.token, "POST", `/api/azure-tenants/${tenant.id}/sync`, 202);
  const run = await waitForRun(cluster, a, runId, 180_000);
  if (run.status !== "succeeded") throw new Error(`first ingestion ended ${run.status}: ${run.error ?? ""}`);
  log(
    `tenant registered on ${a.name}, first ingestion through ${b.name} ${run.status} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  return { tenantId: tenant.id, seconds: (performance.now() - started) / 1000 };
}

/** The recommendation keys with unhealthy findings, split in `of` disjoint slices; slice `index`. */
export async function keySlice(cluster: Cluster, index: number, of: number): Promise<string[]> {
  const { rows } = await cluster.sql.query<{ key: string }>(
    `SELECT DISTINCT "recommendationKey" AS key FROM "Finding" WHERE "status" = 'Unhealthy' AND "removedAt" IS NULL ORDER BY 1`,
  );
  return rows.map((r) => r.key).filter((_, i) => i % of === index);
}

export async function createConnection(
  cluster: Cluster,
  app: Proc,
  drill: string,
  extra: Record<string, unknown> = {},
): Promise<Connection> {
  const sn = cluster.manifest.servicenow;
  const suffix = randomBytes(3).toString("hex");
  const webhookSecret = randomBytes(24).toString("base64url");
  cluster.addSecret(`webhook secret (${drill})`, webhookSecret);
  const body = {
    name: `Drill ${drill} ${suffix}`,
    instanceUrl: sn.url,
    allowPrivateNetwork: true,
    authType: "basic",
    username: sn.username,
    password: sn.password,
    correlationPrefix: `drill-${drill}-${suffix}`,
    defaultAssignmentGroup: "Cloud Security Operations",
    webhookSecret,
    ...extra,
  };
  const created = await apiOk<{ id: string; name: string; correlationPrefix: string }>(
    app,
    cluster.token,
    "POST",
    "/api/connections",
    201,
    { body },
  );
  return { id: created.id, name: created.name, correlationPrefix: created.correlationPrefix, webhookSecret };
}

/** A rule for the drill's recommendations; returns its id and (dry run, before enabling) what it will create. */
export async function createRule(
  cluster: Cluster,
  app: Proc,
  connectionId: string,
  keys: string[],
  grouping: "per_finding" | "per_recommendation" | "per_resource_group",
): Promise<{ id: string; planned: PlannedTicket[] }> {
  const rule = await apiOk<{ id: string }>(app, cluster.token, "POST", "/api/rules", 201, {
    body: {
      name: `Drill rule ${randomBytes(2).toString("hex")}`,
      connectionId,
      enabled: false,
      priority: 1,
      conditions: { recommendationKeys: keys },
      action: { table: "incident", grouping },
    },
  });
  const planned: PlannedTicket[] = [];
  for (let page = 1; ; page++) {
    const dry = await apiOk<{ items: PlannedTicket[]; total: number }>(
      app,
      cluster.token,
      "POST",
      `/api/rules/${rule.id}/dry-run?page=${page}&pageSize=500`,
      200,
    );
    planned.push(...dry.items.map((i) => ({ groupKey: i.groupKey, findingIds: i.findingIds })));
    if (planned.length >= dry.total || dry.items.length === 0) break;
  }
  return { id: rule.id, planned };
}

export async function enableRule(cluster: Cluster, app: Proc, ruleId: string): Promise<void> {
  await apiOk(app, cluster.token, "PATCH", `/api/rules/${ruleId}`, 200, { body: { enabled: true } });
}

export type RunDto = {
  id: string;
  status: string;
  error: string | null;
  trigger: string;
  kind: string;
  phase: string | null;
  finishedAt: string | null;
};

export async function waitForRun(cluster: Cluster, app: Proc, runId: string, timeoutMs: number): Promise<RunDto> {
  return waitFor(
    `run ${runId}`,
    async () => {
      const run = await apiOk<RunDto>(app, cluster.token, "GET", `/api/sync-runs/${runId}`, 200);
      return ["succeeded", "partial", "failed", "canceled"].includes(run.status) ? run : undefined;
    },
    timeoutMs,
    300,
  );
}

/**
 * Until the connection has been seen by the scheduler and has nothing running, no run due and no job
 * due for it — seen three times in a row, because a worker that closes an interrupted run queues its
 * replacement a moment later, and a follow-up scheduled for later does not count.
 */
export async function waitSettled(cluster: Cluster, connectionId: string, timeoutMs: number): Promise<void> {
  let calm = 0;
  await waitFor(
    `connection ${connectionId} to settle`,
    async () => {
      const { rows } = await cluster.sql.query<{ runs: number; jobs: number; scheduled: boolean }>(
        `SELECT (SELECT count(*)::int FROM "SyncRun" WHERE "connectionId" = $1::uuid AND ("status" = 'running' OR ("status" = 'queued' AND "queuedAt" <= now()))) AS runs,
                (SELECT count(*)::int FROM pgboss.job WHERE name = 'sync-connection' AND data->>'connectionId' = $1::text AND state IN ('created', 'retry') AND start_after <= now()) AS jobs,
                (SELECT "nextSyncAt" IS NOT NULL FROM "ServiceNowConnection" WHERE "id" = $1::uuid) AS scheduled`,
        [connectionId],
      );
      // `scheduled`: the scheduler has seen the connection (a new one is due at once, and its first
      // scheduled run would otherwise come a few seconds later, in the middle of what the drill does next).
      calm = rows[0]!.runs === 0 && rows[0]!.jobs === 0 && rows[0]!.scheduled ? calm + 1 : 0;
      return calm >= 3;
    },
    timeoutMs,
    400,
  );
}

/** Unhealthy findings of the given recommendations, as the findings API lists them. */
export async function unhealthyFindings(cluster: Cluster, app: Proc, keys: string[]): Promise<Array<{ id: string; armId: string }>> {
  const params = new URLSearchParams({ status: "Unhealthy", pageSize: "500" });
  for (const k of keys) params.append("recommendationKey", k);
  const out: Array<{ id: string; armId: string }> = [];
  for (let page = 1; ; page++) {
    params.set("page", String(page));
    const res = await apiOk<{ items: Array<{ id: string; armId: string }>; total: number }>(
      app,
      cluster.token,
      "GET",
      `/api/findings?${params}`,
      200,
    );
    out.push(...res.items);
    if (out.length >= res.total || res.items.length === 0) return out;
  }
}

/** Active tickets of a connection as finding sets, to compare with what a dry run planned. */
export async function activeFindingSets(cluster: Cluster, connectionId: string, createdBy?: string): Promise<string[]> {
  const { rows } = await cluster.sql.query<{ ids: string }>(
    `SELECT string_agg(l."findingId"::text, ',' ORDER BY l."findingId") AS ids FROM "TicketLink" l JOIN "Ticket" t ON t."id" = l."ticketId"
      WHERE l."activeConnectionId" = $1::uuid AND ($2::text IS NULL OR t."createdByType"::text = $2) GROUP BY t."id"`,
    [connectionId, createdBy ?? null],
  );
  return rows.map((r) => r.ids).sort();
}

export const findingSetsOf = (planned: PlannedTicket[]) => planned.map((p) => [...p.findingIds].sort().join(",")).sort();

/**
 * The checks every drill ends with on its connection: PostureDesk and ServiceNow hold the same tickets one
 * to one, one "created" history line per ticket, and the rule's active tickets are the ones its dry run
 * listed. `label` goes in front of each failure message (a case's name).
 */
export async function checkRuleOutcome(
  cluster: Cluster,
  control: Control,
  conn: DrillConnection,
  rule: { planned: PlannedTicket[] },
  label = "",
): Promise<{ tickets: number; links: number; ruleTickets: number }> {
  const tickets = await checkTickets(cluster.sql, control, conn);
  expectEmpty(tickets.problems, `${label}tickets`);
  expectEmpty(await checkHistory(cluster.sql, conn.id), `${label}history`);
  const ruleSets = await activeFindingSets(cluster, conn.id, "rule");
  expectThat(
    JSON.stringify(ruleSets) === JSON.stringify(findingSetsOf(rule.planned)),
    `${label}rule tickets (${ruleSets.length}) differ from the dry run (${rule.planned.length})`,
  );
  return { tickets: tickets.tickets, links: tickets.links, ruleTickets: ruleSets.length };
}

/** Run now on an app: 202 { runId, isNew }. */
export async function runNow(cluster: Cluster, app: Proc, connectionId: string, mode?: "full"): Promise<{ runId: string; isNew: boolean }> {
  return apiOk(app, cluster.token, "POST", `/api/connections/${connectionId}/sync${mode ? `?mode=${mode}` : ""}`, 202);
}

export { api, apiOk };
