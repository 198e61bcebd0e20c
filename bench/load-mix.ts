// The request mix of bench/load.ts: what 50 people on the dashboard ask for, with realistic filters
// and pages, weighted like a working day (lists first, compliance less often).
import { QUERIES } from "./recommendations-api-data";

export type Shape = { group: "recommendations" | "findings" | "tickets" | "compliance" | "floor"; path: string; weight: number };

/**
 * The floor: an authenticated route that does no data work (who am I, from the API token), so its
 * latency is what Next.js, the route wrapper and authentication cost on this machine.
 */
export const FLOOR: Shape[] = [{ group: "floor", path: "/api/auth/me", weight: 1 }];

export function requestMix(subscriptionIds: string[], recommendationKeys: string[]): Shape[] {
  const sub = (i: number) => subscriptionIds[i % subscriptionIds.length]!;
  const rec = (i: number) => recommendationKeys[i % recommendationKeys.length]!;
  const recommendations = QUERIES(subscriptionIds).map((q) => ({
    group: "recommendations" as const,
    path: `/api/recommendations${q ? `?${q}` : ""}`,
    weight: 3,
  }));
  const findings = [
    "",
    "status=Unhealthy",
    "severity=High&status=Unhealthy",
    `subscriptionId=${sub(2)}&status=Unhealthy`,
    `recommendationKey=${rec(7)}`,
    `recommendationKey=${rec(42)}&status=Unhealthy&sort=resource`,
    "resourceType=microsoft.bench/storageaccounts&sort=-changed",
    "resourceGroup=rg-app-12&page=2",
    "hasTicket=false&severity=High&status=Unhealthy",
    "overdue=true&sort=due",
    "q=res-42",
    "page=20&pageSize=100",
  ].map((q) => ({ group: "findings" as const, path: `/api/findings${q ? `?${q}` : ""}`, weight: 3 }));
  const tickets = [
    "",
    "state=open",
    "state=open&overdue=true&sort=dueDate",
    "q=INC00012",
    "sort=-updatedAt&page=3",
    "state=resolved&pageSize=100",
    "drift=true",
  ].map((q) => ({
    group: "tickets" as const,
    path: `/api/tickets${q ? `?${q}` : ""}`,
    weight: 3,
  }));
  const compliance = ["", `subscriptionId=${sub(5)}`, `from=${daysAgo(364)}`].map((q) => ({
    group: "compliance" as const,
    path: `/api/compliance/summary${q ? `?${q}` : ""}`,
    weight: 2,
  }));
  return [...recommendations, ...findings, ...tickets, ...compliance];
}

function daysAgo(n: number): string {
  return new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
}

/** The shape a request number picks, by weight (deterministic, so runs compare). */
export function picker(shapes: Shape[]): (n: number) => Shape {
  const wheel = shapes.flatMap((s) => Array.from({ length: s.weight }, () => s));
  // A stride coprime with the wheel's length walks every slot in a mixed order.
  let stride = 7;
  while (gcd(stride, wheel.length) !== 1) stride++;
  return (n) => wheel[(n * stride) % wheel.length]!;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

export type Stats = { count: number; p50: number; p95: number; p99: number; max: number };

export function stats(latencies: number[]): Stats {
  const s = [...latencies].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
  return { count: s.length, p50: q(50), p95: q(95), p99: q(99), max: s.at(-1) ?? NaN };
}

export const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(0)} ms`);
