import "server-only";

// What every compliance query shares: the caller's right to read (managers and up), the subscriptions
// a manager can filter by, and the SQL fragment that restricts findings to active tenants.
import { type Actor } from "@/lib/auth/actor";
import { type AuditActor } from "@/lib/audit/audit";
import { assertRole } from "@/lib/connections/authorize";
import { pool } from "@/lib/db";

export function assertCanRead(actor: Actor | AuditActor): void {
  assertRole(actor, "manager", "Reading compliance");
}

export type SubscriptionOption = { subscriptionId: string; displayName: string };

/** Included subscriptions of active tenants, by display name (the filter's options). */
export async function listSubscriptions(): Promise<SubscriptionOption[]> {
  const { rows } = await pool().query<SubscriptionOption>(
    `SELECT DISTINCT ON (lower(s."subscriptionId")) lower(s."subscriptionId") AS "subscriptionId", s."displayName"
     FROM "Subscription" s JOIN "AzureTenant" a ON a."id" = s."azureTenantId" AND a."deletedAt" IS NULL
     WHERE s."included"
     ORDER BY lower(s."subscriptionId"), s."updatedAt" DESC`,
  );
  return rows.sort((a, b) => a.displayName.localeCompare(b.displayName) || a.subscriptionId.localeCompare(b.subscriptionId));
}

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
