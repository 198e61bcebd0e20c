import "server-only";
import { metrics } from "@/lib/metrics";

// Route label with ids collapsed, so the metric's cardinality stays bounded.
const ID_SEGMENT = /\/(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+|[0-9a-f]{32})(?=\/|$)/gi;

export function routeLabel(pathname: string): string {
  return pathname.replace(ID_SEGMENT, "/:id");
}

export function recordHttpRequest(method: string, _options: unknown, pathname: string, status: number, ms: number): void {
  const route = routeLabel(pathname);
  const m = metrics();
  m.httpRequests.inc({ method, route, status: String(status) });
  m.httpDuration.observe({ method, route }, ms / 1000);
}
