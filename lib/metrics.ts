import "server-only";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

// Prometheus metrics served at /api/metrics. One registry per process, kept on globalThis so Next's
// module reloading in development does not register metrics twice.
//
// Two kinds:
// - process metrics (counters, histograms): what this process did — HTTP requests it served, sync runs
//   its worker finished, requests it sent to Azure, Entra ID and ServiceNow. Sum them over instances.
// - cluster gauges (`posturedesk_queue_*`, `posturedesk_sync_runs_open`, `posturedesk_sync_last_success_*`):
//   read from the shared database at scrape time, so every instance reports the same values — whichever
//   worker does the work, and standalone workers (`npm run worker`, no HTTP port) included. Aggregate them
//   with max(), not sum().

type Metrics = {
  registry: Registry;
  httpRequests: Counter<"method" | "route" | "status">;
  httpDuration: Histogram<"method" | "route">;
  syncRuns: Counter<"kind" | "status">;
  syncDuration: Histogram<"kind">;
  syncItems: Counter<"kind" | "action">;
  syncErrors: Counter<"kind">;
  externalRequests: Counter<"system" | "status">;
  queueDepth: Gauge<"queue">;
  queueDelayed: Gauge<"queue">;
  queueActive: Gauge<"queue">;
  syncRunsOpen: Gauge<"kind" | "status">;
  syncLastSuccess: Gauge<"kind">;
};

function create(): Metrics {
  const registry = new Registry();
  // prom-client names them process_* and nodejs_*: with this prefix posturedesk_process_resident_memory_bytes etc.
  collectDefaultMetrics({ register: registry, prefix: "posturedesk_" });
  return {
    registry,
    httpRequests: new Counter({
      name: "posturedesk_http_requests_total",
      help: "API requests served",
      labelNames: ["method", "route", "status"],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: "posturedesk_http_request_duration_seconds",
      help: "API request duration",
      labelNames: ["method", "route"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    syncRuns: new Counter({
      name: "posturedesk_sync_runs_total",
      help: "Sync runs finished, by kind and final status",
      labelNames: ["kind", "status"],
      registers: [registry],
    }),
    syncDuration: new Histogram({
      name: "posturedesk_sync_run_duration_seconds",
      help: "Sync run duration",
      labelNames: ["kind"],
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800],
      registers: [registry],
    }),
    syncItems: new Counter({
      name: "posturedesk_sync_items_total",
      help: "Items changed by sync runs, by action",
      labelNames: ["kind", "action"],
      registers: [registry],
    }),
    syncErrors: new Counter({
      name: "posturedesk_sync_item_errors_total",
      help: "Item-level sync errors",
      labelNames: ["kind"],
      registers: [registry],
    }),
    externalRequests: new Counter({
      name: "posturedesk_external_requests_total",
      help: "Requests to Azure, Entra ID and ServiceNow, by HTTP status (0 = network error)",
      labelNames: ["system", "status"],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: "posturedesk_queue_depth",
      help: "Jobs due and waiting for a worker (cluster-wide)",
      labelNames: ["queue"],
      registers: [registry],
    }),
    queueDelayed: new Gauge({
      name: "posturedesk_queue_delayed",
      help: "Jobs waiting for a later start (retry backoff, follow-ups; cluster-wide)",
      labelNames: ["queue"],
      registers: [registry],
    }),
    queueActive: new Gauge({
      name: "posturedesk_queue_active",
      help: "Jobs a worker is running (cluster-wide)",
      labelNames: ["queue"],
      registers: [registry],
    }),
    syncRunsOpen: new Gauge({
      name: "posturedesk_sync_runs_open",
      help: "Sync runs queued or running, by kind and status (cluster-wide)",
      labelNames: ["kind", "status"],
      registers: [registry],
    }),
    syncLastSuccess: new Gauge({
      name: "posturedesk_sync_last_success_timestamp_seconds",
      help: "When a sync run of this kind last finished succeeded or partial (Unix time; cluster-wide)",
      labelNames: ["kind"],
      registers: [registry],
    }),
  };
}

const globalForMetrics = globalThis as unknown as { posturedeskMetrics?: Metrics };

export function metrics(): Metrics {
  globalForMetrics.posturedeskMetrics ??= create();
  return globalForMetrics.posturedeskMetrics;
}
