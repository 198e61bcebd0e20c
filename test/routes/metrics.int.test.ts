// GET /api/metrics: Prometheus text with the process metrics and the cluster gauges read from the
// database — jobs waiting / delayed / running in pg-boss, open sync runs, last successful run — and
// the bad path (no token or a malformed one: 401; every role may read metrics).
import { beforeAll, describe, expect, test } from "vitest";
import { GET } from "@/app/api/metrics/route";
import { db, pool } from "@/lib/db";
import { enqueue } from "@/lib/jobs/enqueue";
import { syncConnectionJob } from "@/lib/sync/jobs";
import { apiTokenFor, call } from "@/test/app";
import { integrationSuite } from "@/test/integration";

integrationSuite({ emulators: "none", stopsBoss: true, timeoutMs: 60_000 });
let token: string;

function value(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function scrape(): Promise<string> {
  const res = await call(GET, "GET", "/api/metrics", { token });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/plain");
  return res.text();
}

beforeAll(async () => {
  token = await apiTokenFor("MANAGER");
}, 60_000);

describe("GET /api/metrics", () => {
  test("401 without a token or with a malformed one", async () => {
    expect((await call(GET, "GET", "/api/metrics")).status).toBe(401);
    expect((await call(GET, "GET", "/api/metrics", { token: "pd_not-a-token" })).status).toBe(401);
  });

  test("queue gauges count due, delayed and running jobs per queue from pg-boss (no worker here)", async () => {
    const before = await scrape();
    expect(value(before, 'posturedesk_queue_depth{queue="sync-connection"}') ?? 0).toBe(0);
    // Three wake-ups for three connections now, one for later (a follow-up's backoff).
    for (const id of [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()])
      await enqueue(syncConnectionJob, { connectionId: id }, { singletonKey: id });
    const later = crypto.randomUUID();
    await enqueue(syncConnectionJob, { connectionId: later }, { singletonKey: `${later}:later`, startAfterSeconds: 600 });
    // One of them taken by a worker: pg-boss marks it active.
    await pool().query(
      `UPDATE pgboss.job SET state = 'active', started_on = now() WHERE id = (SELECT id FROM pgboss.job WHERE name = 'sync-connection' AND start_after <= now() LIMIT 1)`,
    );
    const text = await scrape();
    expect(value(text, 'posturedesk_queue_depth{queue="sync-connection"}')).toBe(2);
    expect(value(text, 'posturedesk_queue_delayed{queue="sync-connection"}')).toBe(1);
    expect(value(text, 'posturedesk_queue_active{queue="sync-connection"}')).toBe(1);
    expect(text).toContain("# TYPE posturedesk_queue_depth gauge");
  });

  test("sync gauges: open runs by kind and status, and when each kind last succeeded", async () => {
    const empty = await scrape();
    expect(value(empty, 'posturedesk_sync_runs_open{kind="servicenow_sync",status="queued"}')).toBe(0);
    expect(empty).not.toContain('posturedesk_sync_last_success_timestamp_seconds{kind="defender_ingest"}');
    const tenant = await db().azureTenant.create({
      data: {
        name: "t",
        tenantId: "t",
        clientId: "c",
        clientSecretEnc: "x",
        authorityHost: "https://login.example",
        armEndpoint: "https://arm.example",
      },
    });
    const finishedAt = new Date(Date.now() - 60_000);
    await db().syncRun.createMany({
      data: [
        { kind: "defender_ingest", trigger: "manual", status: "queued", azureTenantId: tenant.id },
        { kind: "defender_ingest", trigger: "manual", status: "running", azureTenantId: tenant.id },
        { kind: "defender_ingest", trigger: "manual", status: "partial", azureTenantId: tenant.id, finishedAt },
        { kind: "defender_ingest", trigger: "manual", status: "failed", azureTenantId: tenant.id, finishedAt: new Date() },
      ],
    });
    const text = await scrape();
    expect(value(text, 'posturedesk_sync_runs_open{kind="defender_ingest",status="queued"}')).toBe(1);
    expect(value(text, 'posturedesk_sync_runs_open{kind="defender_ingest",status="running"}')).toBe(1);
    // The failed run is newer, but only succeeded/partial count as a success.
    expect(value(text, 'posturedesk_sync_last_success_timestamp_seconds{kind="defender_ingest"}')).toBe(finishedAt.getTime() / 1000);
  });

  test("process metrics are there: HTTP requests of this route, default process metrics", async () => {
    const text = await scrape();
    expect(text).toMatch(/posturedesk_http_requests_total\{method="GET",route="\/api\/metrics",status="200"\} \d+/);
    expect(text).toContain("posturedesk_process_resident_memory_bytes");
  });
});
