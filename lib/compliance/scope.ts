import "server-only";

// What every compliance query shares: the subscriptions a manager can filter by, and the SQL fragment
// that restricts findings to active tenants. Reading compliance needs the manager role
// (assertRole(caller, "manager", "Reading compliance"), lib/auth/authorize.ts).
export { listSubscriptions, type SubscriptionOption } from "./scope-sql";

/** Rounds a ratio to a percentage with one decimal; null when there is nothing to divide by. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((1000 * part) / whole) / 10 : null;
}

/** Regulatory state of a control (or assessment) over several subscriptions: failing anywhere is failing. */
export const ROLLUP_STATE = `CASE WHEN bool_or("state" = 'Failed') THEN 'Failed' WHEN bool_or("state" = 'Passed') THEN 'Passed' WHEN bool_or("state" = 'Skipped') THEN 'Skipped' ELSE 'Unsupported' END`;

/** Natural order of control names ("2.10" after "2.9"). */
export function byNaturalName(a: { name: string }, b: { name: string }): number {
  return a.name.localeCompare(b.name, "en", { numeric: true, sensitivity: "base" });
}
