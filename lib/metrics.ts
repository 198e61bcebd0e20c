import "server-only";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

// Prometheus metrics of this process, served at /api/metrics. One registry per process, kept on
// globalThis so Next's module reloading in development does not register metrics twice.

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
};

function create(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "posturedesk_process_" });
  return {
    registry,
    httpRequests: new Counter({ name: "posturedesk_http_requests_total", help: "API requests served", labelNames: ["method", "route", "status"], registers: [registry] }),
    httpDuration: new Histogram({
      name: "posturedesk_http_request_duration_seconds",
      help: "API request duration",
      labelNames: ["method", "route"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    syncRuns: new Counter({ name: "posturedesk_sync_runs_total", help: "Sync runs finished, by kind and final status", labelNames: ["kind", "status"], registers: [registry] }),
    syncDuration: new Histogram({
      name: "posturedesk_sync_run_duration_seconds",
      help: "Sync run duration",
      labelNames: ["kind"],
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800],
      registers: [registry],
    }),
    syncItems: new Counter({ name: "posturedesk_sync_items_total", help: "Items changed by sync runs, by action", labelNames: ["kind", "action"], registers: [registry] }),
    syncErrors: new Counter({ name: "posturedesk_sync_item_errors_total", help: "Item-level sync errors", labelNames: ["kind"], registers: [registry] }),
    externalRequests: new Counter({
      name: "posturedesk_external_requests_total",
      help: "Requests to Azure, Entra ID and ServiceNow, by HTTP status (0 = network error)",
      labelNames: ["system", "status"],
      registers: [registry],
    }),
    queueDepth: new Gauge({ name: "posturedesk_queue_depth", help: "Jobs waiting in the queue", labelNames: ["queue"], registers: [registry] }),
  };
}

const globalForMetrics = globalThis as unknown as { posturedeskMetrics?: Metrics };

export function metrics(): Metrics {
  globalForMetrics.posturedeskMetrics ??= create();
  return globalForMetrics.posturedeskMetrics;
}
