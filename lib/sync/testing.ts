// Test and benchmark support for the sync engine (never imported by product code): a world of findings
// ingested from the ARM emulator through the real ingestion, a ServiceNow connection to the emulator,
// runs queued and executed in this process (the job handler, without the queue), and the emulators'
// side of things to assert on (ServiceNow records, Defender governance assignments).
import { createServer } from "node:http";
import { type AddressInfo } from "node:net";
import { NextRequest } from "next/server";
import { type TestEmulators } from "@/emulators/common/testing";
import { type EmulatorManifest } from "@/emulators/manifest";
import { SYSTEM_ACTOR } from "@/lib/audit/audit";
import { db } from "@/lib/db";
import { governanceAssignmentKey } from "@/lib/governance/keys";
import { ingestDefender } from "@/lib/ingestion/ingest";
import { newRun, registerEmulatorTenant } from "@/lib/ingestion/testing/fixtures";
import { logger } from "@/lib/log";
import { type TCreateConnectionInput, type TServiceNowConnectionDto } from "@/lib/schemas/connections";
import { type TCreateTicketInput, ZCreateTicket } from "@/lib/schemas/tickets";
import { createTickets } from "@/lib/tickets/create";
import { emulatorConnection } from "@/lib/tickets/testing";
import { handleConnectionJob } from "./handler";

export type SyncWorld = {
  tenantId: string;
  connection: TServiceNowConnectionDto;
  /** Unhealthy findings in a stable order (ARM id). */
  unhealthy: Array<{ id: string; armId: string; resourceId: string; recommendationKey: string; resourceName: string }>;
};

/** Registers the emulator's tenant, ingests it (full pass), and creates a connection to the emulator's ServiceNow. */
export async function syncWorld(manifest: EmulatorManifest, connection: Partial<TCreateConnectionInput> = {}): Promise<SyncWorld> {
  const tenant = await registerEmulatorTenant(manifest);
  const runId = await newRun(tenant.id);
  await ingestDefender(tenant.id, { mode: "full", runId });
  await db().syncRun.update({ where: { id: runId }, data: { status: "succeeded", finishedAt: new Date() } });
  const rows = await db().finding.findMany({
    where: { azureTenantId: tenant.id, status: "Unhealthy", removedAt: null },
    select: { id: true, armId: true, resourceId: true, recommendationKey: true, resourceName: true },
    orderBy: { armId: "asc" },
  });
  return { tenantId: tenant.id, connection: await emulatorConnection(manifest, connection), unhealthy: rows };
}

/** A queued full run (what "Run now" writes, without waking a worker). */
export async function queueRun(
  connectionId: string,
  options: { mode?: "full" | "incremental"; trigger?: "manual" | "schedule" } = {},
): Promise<string> {
  const run = await db().syncRun.create({
    data: {
      kind: "servicenow_sync",
      trigger: options.trigger ?? "manual",
      connectionId,
      counts: { mode: options.mode ?? "incremental", attempt: 1 },
    },
  });
  return run.id;
}

/** Runs everything queued for the connection in this process, as a worker would; returns the given run. */
export async function runQueued(connectionId: string, runId?: string) {
  await handleConnectionJob({ connectionId }, { jobId: "test", log: logger().child({ test: true }), retryCount: 0 });
  return runId ? db().syncRun.findUniqueOrThrow({ where: { id: runId } }) : null;
}

/** Queues and runs one full sync; returns the finished run. */
export async function syncNow(connectionId: string, options: { mode?: "full" | "incremental" } = {}) {
  const runId = await queueRun(connectionId, options);
  return (await runQueued(connectionId, runId))!;
}

export async function eventsOf(runId: string) {
  return db().syncEvent.findMany({ where: { runId }, orderBy: { id: "asc" } });
}

/** Tickets through the ticket service, as an analyst's request would create them. */
export async function ticketFor(input: TCreateTicketInput) {
  const outcome = await createTickets(SYSTEM_ACTOR, ZCreateTicket.parse(input));
  return db().ticket.findUniqueOrThrow({ where: { id: outcome.tickets[0]!.id } });
}

export type SnRecord = Record<string, string> & { journal?: Array<{ element: string; value: string }> };

export function serviceNowSide(emu: TestEmulators) {
  return {
    async record(table: string, sysId: string): Promise<SnRecord> {
      const r = await emu.control<{ result: Record<string, string>; journal: SnRecord["journal"] }>(
        "servicenow",
        "GET",
        `/_emulator/records/${table}/${sysId}`,
      );
      if (r.status !== 200) throw new Error(`ServiceNow emulator: ${table}/${sysId} → ${r.status}`);
      return { ...r.body.result, journal: r.body.journal } as SnRecord;
    },
    /** Changes a record as a ServiceNow user would (business rules, data policies, webhook). */
    async changeAsUser(table: string, sysId: string, fields: Record<string, string>, user?: string) {
      const r = await emu.control("servicenow", "PATCH", `/_emulator/records/${table}/${sysId}`, { fields, ...(user ? { user } : {}) });
      if (r.status !== 200) throw new Error(`ServiceNow emulator: PATCH ${table}/${sysId} → ${r.status} ${JSON.stringify(r.body)}`);
      return r.body as { result: SnRecord };
    },
    /** Requests the emulator served since the last reset (control calls excluded). */
    async requests(filter: { method?: string; route?: string } = {}): Promise<number> {
      const params = new URLSearchParams({ emulator: "servicenow", ...filter });
      const r = await emu.control<{ total: number }>("servicenow", "GET", `/_emulator/counters?${params}`);
      return r.body.total;
    },
    async resetCounters() {
      await emu.control("servicenow", "POST", "/_emulator/counters/reset");
    },
    /** The records of a table matching an encoded query (at most the emulator's 10,000), and how many match. */
    async list(table: string, query = ""): Promise<{ rows: SnRecord[]; total: number }> {
      const r = await emu.control<{ result: SnRecord[]; total: number }>(
        "servicenow",
        "GET",
        `/_emulator/records/${table}?limit=10000&sysparm_query=${encodeURIComponent(query)}`,
      );
      if (r.status !== 200) throw new Error(`ServiceNow emulator: ${table}?${query} → ${r.status}`);
      return { rows: r.body.result, total: r.body.total };
    },
    /** A Table API read as the connection's user, as the product makes it: its status and the rate-limit header (null when none). */
    async probeRateLimit(table: string): Promise<{ status: number; limit: string | null }> {
      const { url, username, password } = emu.manifest.servicenow;
      const res = await fetch(`${url}/api/now/table/${table}?sysparm_limit=1`, {
        headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`, accept: "application/json" },
      });
      await res.body?.cancel();
      return { status: res.status, limit: res.headers.get("x-ratelimit-limit") };
    },
    async count(table: string, query: string): Promise<number> {
      const r = await emu.control<{ total: number }>(
        "servicenow",
        "GET",
        `/_emulator/records/${table}?sysparm_query=${encodeURIComponent(query)}&limit=1`,
      );
      return r.body.total;
    },
  };
}

export type ArmAssignment = {
  id: string;
  key: string;
  properties: {
    owner?: string;
    remediationDueDate: string;
    governanceEmailNotification?: { disableOwnerEmailNotification?: boolean; disableManagerEmailNotification?: boolean };
    additionalData?: { ticketNumber?: number; ticketLink?: string; ticketStatus?: string };
  };
};

export function defenderSide(emu: TestEmulators) {
  return {
    /** Flips assessments in the ARM emulator (remediation, regression). */
    async setStatus(armIds: string[], status: "Healthy" | "Unhealthy" | "NotApplicable") {
      const r = await emu.control<{ changed: number }>("arm", "POST", "/_emulator/assessments/status", { ids: armIds, status });
      if (r.status !== 200) throw new Error(`ARM emulator: status flip → ${r.status}`);
      return r.body.changed;
    },
    /** PostureDesk's governance assignment of a finding as Defender holds it (null when none). */
    async assignmentOf(armId: string): Promise<ArmAssignment | null> {
      const r = await emu.control<{ value: ArmAssignment[] }>("arm", "GET", "/_emulator/governance/assignments");
      const key = governanceAssignmentKey(armId);
      return r.body.value.find((a) => a.key.toLowerCase() === key) ?? null;
    },
  };
}

type RouteHandler = (req: NextRequest, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

/**
 * A plain HTTP server in front of the webhook route handler (the same wrapper, auth and service as in
 * the app), so the ServiceNow emulator's outbound notification reaches it without a Next build.
 * `onDelivered` sees every answer (status, body) once it is sent.
 */
export async function startWebhookReceiver(
  handler: RouteHandler,
  onDelivered?: (status: number, body: string) => void,
): Promise<{ url: (connectionId: string) => string; stop: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        const connectionId = url.pathname.split("/").at(-1) ?? "";
        const headers = new Headers();
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
        const request = new NextRequest(url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
        const response = await handler(request, { params: Promise.resolve({ connectionId }) });
        const body = await response.text();
        res.writeHead(response.status, { "content-type": response.headers.get("content-type") ?? "application/json" });
        res.end(body);
        onDelivered?.(response.status, body);
      })().catch(() => {
        res.writeHead(500);
        res.end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (connectionId) => `http://127.0.0.1:${port}/api/webhooks/servicenow/${connectionId}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
