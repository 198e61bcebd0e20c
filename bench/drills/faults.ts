// External faults: for each case of fault-cases.ts, on a connection of its own —
//  1. a ticket request on an app while the faults are on: 201, 202 (not confirmed: a pending ticket request
//     the retry job finishes), or a clean problem+json (429/502/503/504,
//     never 500); repeated once the faults are gone it answers the same single ServiceNow record;
//  2. a full sync with an auto-ticket rule while the faults are on: it ends succeeded or partial;
//  3. the faults are removed and a clean run must converge to exactly the expected state: the rule's
//     tickets are the ones its dry run listed, PostureDesk and ServiceNow agree one to one, every
//     finding's Defender governance assignment carries its ticket, nothing is left to retry.
import { governanceAssignmentKey } from "@/lib/governance/keys";
import { serviceNowRecords } from "./checks";
import { expectThat } from "./expect";
import { combinedCases, type FaultCase, msalThrottleMs, singleCases } from "./fault-cases";
import { api, apiOk } from "./http";
import { sleep } from "./procs";
import { checkRuleOutcome, createConnection, createRule, enableRule, runNow, unhealthyFindings, waitForRun, waitSettled } from "./scenario";
import type { DrillContext, DrillResult } from "./scenario";

type Outcome = { name: string; ticket: string; faulted: string; errors: number; struck: number; seconds: number };

/** "ci": every kind on every side at once (Entra ID refusals with Retry-After); "all": each kind alone on each side, each side's kinds together, everything together. */
export async function faultsDrill(ctx: DrillContext, options: { matrix: "ci" | "all" }): Promise<DrillResult> {
  const { cluster, log } = ctx;
  const started = performance.now();
  const cases = options.matrix === "all" ? [...singleCases(), ...combinedCases()] : combinedCases({ quick: true }).slice(-1);
  const tenant = await apiOk<{ name: string; useResourceGraph: boolean }>(
    cluster.apps[0]!,
    cluster.token,
    "GET",
    `/api/azure-tenants/${ctx.tenantId}`,
    200,
  );
  // ARM's own listing (100 per page) so a page can fail mid-listing; Resource Graph answers in one page here.
  await apiOk(cluster.apps[0]!, cluster.token, "PATCH", `/api/azure-tenants/${ctx.tenantId}`, 200, { body: { useResourceGraph: false } });
  const outcomes: Outcome[] = [];
  try {
    for (const [i, c] of cases.entries()) {
      const outcome = await runCase(ctx, c, i);
      outcomes.push(outcome);
      log(
        `${c.name}: ticket ${outcome.ticket}; run under ${outcome.struck} fault(s) ${outcome.faulted} (${outcome.errors} error events); clean run converged (${outcome.seconds.toFixed(1)} s)`,
      );
    }
  } finally {
    await ctx.control("arm", "DELETE", "/_emulator/faults").catch(() => {});
    await api(cluster.apps[0]!, cluster.token, "PATCH", `/api/azure-tenants/${ctx.tenantId}`, {
      body: { useResourceGraph: tenant.useResourceGraph, name: tenant.name },
    });
  }
  const figures: Record<string, string> = {};
  for (const o of outcomes)
    figures[o.name] =
      `ticket request ${o.ticket}; run under ${o.struck} fault(s) ${o.faulted}, ${o.errors} error event(s); clean run converged; ${o.seconds.toFixed(1)} s`;
  return { name: options.matrix === "all" ? "faults-matrix" : "faults", seconds: (performance.now() - started) / 1000, figures };
}

/**
 * Puts the case's faults on (or takes them off); returns how many times the faults that were on struck.
 * The three emulators share one fault engine (each rule names its emulator), so one call sets them all.
 */
async function setFaults(ctx: DrillContext, c: FaultCase, on: boolean): Promise<number> {
  const rules = c.rules.map((r, i) => ({ ...r, id: `case-${i}` }));
  const { value } = await ctx.control<{ value: Array<{ id: string; hits: number }> }>("arm", "GET", "/_emulator/faults");
  // A rule with `times` leaves the list once spent: it struck `times` times.
  const struck = rules.reduce((n, r) => n + (value.find((v) => v.id === r.id)?.hits ?? r.times ?? 0), 0);
  await ctx.control("arm", "DELETE", "/_emulator/faults");
  if (on) await ctx.control("arm", "POST", "/_emulator/faults", rules);
  return on ? 0 : struck;
}

async function runCase(ctx: DrillContext, c: FaultCase, index: number): Promise<Outcome> {
  const { cluster, control } = ctx;
  const started = performance.now();
  const app = cluster.apps[index % cluster.apps.length]!;
  const conn = await createConnection(cluster, app, `faults${index}`);
  await waitSettled(cluster, conn.id, 60_000);
  const findings = await unhealthyFindings(cluster, app, ctx.keys);

  // 1. A ticket request while the faults are on. (Every case starts with fresh Azure clients, so no
  //    process carries MSAL's throttling of an earlier case over.)
  await renewAzureClients(ctx, index);
  await setFaults(ctx, c, true);
  const body = { connectionId: conn.id, type: "incident", grouping: "single", findingIds: [findings[0]!.id] };
  const first = await api<{ code?: string; tickets?: unknown[] }>(app, cluster.token, "POST", "/api/tickets", { body, timeoutMs: 180_000 });
  expectThat(
    [201, 202].includes(first.status) || [429, 502, 503, 504].includes(first.status),
    `${c.name}: POST /api/tickets answered ${first.status} ${JSON.stringify(first.body).slice(0, 300)}`,
  );
  const struckByTicket = await setFaults(ctx, c, false);
  let ticket = `${first.status}${first.body.code ? ` ${first.body.code}` : ""}`;
  if (first.status !== 201) {
    const again = await api(app, cluster.token, "POST", "/api/tickets", { body });
    // 201 when the repeat creates it; 200 when the retry job of a 202 already did.
    expectThat(
      again.status === 201 || (first.status === 202 && again.status === 200),
      `${c.name}: the repeated ticket request answered ${again.status}`,
    );
    ticket += ` → repeat ${again.status}`;
  }
  expectThat(
    (await serviceNowRecords(control, conn.correlationPrefix)).length === 1,
    `${c.name}: the ticket request left more than one ServiceNow record`,
  );

  // 2. The rule's plan, then a sync with the faults on.
  const rule = await createRule(cluster, app, conn.id, ctx.keys, "per_resource_group");
  await enableRule(cluster, app, rule.id);
  await renewAzureClients(ctx, index + 1000);
  await setFaults(ctx, c, true);
  let faulted;
  let struckByRun = 0;
  try {
    const { runId } = await runNow(cluster, app, conn.id);
    faulted = await waitForRun(cluster, app, runId, 300_000);
  } finally {
    struckByRun = await setFaults(ctx, c, false);
  }
  expectThat(struckByRun > 0, `${c.name}: no fault struck during the run (the case tests nothing)`);
  // Succeeded or partial; a run whose ServiceNow ticket query stayed unreadable after the client's retries
  // fails instead, and must then have queued its own follow-up (it has no partial mode).
  const { rows: followUps } = await cluster.sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "SyncRun" WHERE "counts"->>'resumes' = $1`,
    [faulted.id],
  );
  const isRetried = faulted.status === "failed" && (faulted.error ?? "").includes("retrying automatically") && followUps[0]!.n === 1;
  expectThat(
    faulted.status === "succeeded" || faulted.status === "partial" || isRetried,
    `${c.name}: the faulted run ended ${faulted.status}: ${faulted.error}`,
  );
  const { rows: errs } = await cluster.sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "SyncEvent" WHERE "runId" = $1::uuid AND "action" = 'error'`,
    [faulted.id],
  );

  // 3. A clean run converges — once MSAL's throttling of the refused token requests has run out.
  const throttleLeft = msalThrottleMs(c) - (Date.now() - new Date(faulted.finishedAt ?? Date.now()).getTime());
  if (throttleLeft > 0) await sleep(throttleLeft + 1000);
  await waitSettled(cluster, conn.id, 120_000);
  const { runId: cleanId } = await runNow(cluster, app, conn.id);
  const clean = await waitForRun(cluster, app, cleanId, 300_000);
  if (clean.status !== "succeeded") {
    const { rows } = await cluster.sql.query<{ message: string }>(
      `SELECT "message" FROM "SyncEvent" WHERE "runId" = $1::uuid AND "action" = 'error' LIMIT 5`,
      [clean.id],
    );
    expectThat(false, `${c.name}: the clean run ended ${clean.status}: ${clean.error ?? ""} ${rows.map((r) => r.message).join(" | ")}`);
  }
  await waitSettled(cluster, conn.id, 120_000);
  await checkRuleOutcome(cluster, control, conn, rule, `${c.name}: `);
  await checkGovernance(ctx, c, conn.id);
  const { rows: retry } = await cluster.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "SyncRetryItem" WHERE "scope" = $1`, [
    `connection:${conn.id}`,
  ]);
  expectThat(retry[0]!.n === 0, `${c.name}: ${retry[0]!.n} item(s) still waiting for a retry after the clean run`);
  // Archived: its findings are the next case's to ticket, and it stops syncing.
  await apiOk(app, cluster.token, "DELETE", `/api/connections/${conn.id}`, [200, 204]);
  return {
    name: c.name,
    ticket: `${ticket} (${struckByTicket} fault(s) struck)`,
    faulted: isRetried ? "failed, follow-up queued" : faulted.status,
    errors: errs[0]!.n,
    struck: struckByRun,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Every active ticket of the connection is what Defender's governance assignment of each finding carries. */
async function checkGovernance(ctx: DrillContext, c: FaultCase, connectionId: string): Promise<void> {
  const { value } = await ctx.control<{ value: Array<{ key: string; properties: { additionalData?: { ticketNumber?: number } } }> }>(
    "arm",
    "GET",
    "/_emulator/governance/assignments",
  );
  const byKey = new Map(value.map((a) => [a.key.toLowerCase(), a.properties.additionalData?.ticketNumber]));
  const { rows } = await ctx.cluster.sql.query<{ armId: string; number: string; azureState: string | null }>(
    `SELECT f."armId", t."number", g."azureState"::text AS "azureState" FROM "TicketLink" l JOIN "Ticket" t ON t."id" = l."ticketId" JOIN "Finding" f ON f."id" = l."findingId"
       LEFT JOIN "GovernanceAssignment" g ON g."findingId" = f."id" AND g."isManaged"
      WHERE l."activeConnectionId" = $1::uuid`,
    [connectionId],
  );
  const wrong = rows.filter(
    (r) => byKey.get(governanceAssignmentKey(r.armId)) !== Number(r.number.replace(/\D/g, "")) || r.azureState !== "synced",
  );
  expectThat(
    wrong.length === 0,
    `${c.name}: ${wrong.length} of ${rows.length} findings' Defender governance assignments do not carry their ticket`,
  );
}

/** A tenant change gives every process a new Azure client, whose first call asks Entra ID for a token. */
async function renewAzureClients(ctx: DrillContext, n: number): Promise<void> {
  await apiOk(ctx.cluster.apps[0]!, ctx.cluster.token, "PATCH", `/api/azure-tenants/${ctx.tenantId}`, 200, {
    body: { name: `Contoso (drill) ${n}` },
  });
}
