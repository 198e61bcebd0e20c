import "server-only";
import type pg from "pg";
import { GOVERNANCE_API_VERSION } from "@/lib/azure/governance";
import { governanceAssignmentKey } from "@/lib/governance/keys";
import { isAppError } from "@/lib/http/errors";
import { type IngestEvent, type IngestStepInput } from "./run-log";
import { graphGovernancePages } from "./sources";

// The SQL of governance.ts (raw SQL lives in *-sql.ts modules or lib/db/: docs/ARCHITECTURE.md, "Boundaries").

export type Assignment = {
  armId: string;
  assignmentKey: string;
  owner: string | null;
  remediationDueDate: Date;
  remediationEta: Date | null;
  isGracePeriod: boolean;
  ticketNumber: number | null;
  ticketLink: string | null;
  ticketStatus: string | null;
};

export const MAX_ARM_LISTINGS = 200;

export const SUFFIX = /\/governanceassignments\/([^/]+)$/i;

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export const text = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : null);

export const date = (v: unknown) => {
  const d = typeof v === "string" ? new Date(v) : null;
  return d && !Number.isNaN(d.getTime()) ? d : null;
};

export function normalizeAssignment(item: unknown): { ok: true; value: Assignment } | { ok: false; id: string | null; reason: string } {
  if (!isObj(item) || typeof item.id !== "string") return { ok: false, id: null, reason: "the governance assignment has no id" };
  const match = SUFFIX.exec(item.id);
  if (!match) return { ok: false, id: item.id, reason: "the id is not a governance assignment id" };
  const p = isObj(item.properties) ? item.properties : item;
  const due = date(p.remediationDueDate);
  if (!due) return { ok: false, id: item.id, reason: "remediationDueDate is missing or not a date" };
  const extra = isObj(p.additionalData) ? p.additionalData : {};
  const eta = isObj(p.remediationEta) ? date(p.remediationEta.eta) : null;
  const ticketNumber =
    typeof extra.ticketNumber === "number" && Number.isInteger(extra.ticketNumber) && extra.ticketNumber >= 0 ? extra.ticketNumber : null;
  return {
    ok: true,
    value: {
      armId: item.id.slice(0, match.index).toLowerCase(),
      assignmentKey: match[1]!,
      owner: text(p.owner),
      remediationDueDate: due,
      remediationEta: eta,
      isGracePeriod: p.isGracePeriod === true,
      ticketNumber,
      ticketLink: text(extra.ticketLink),
      ticketStatus: text(extra.ticketStatus),
    },
  };
}

export async function upsert(client: pg.PoolClient, rows: Assignment[], now: Date): Promise<{ inserted: number; updated: number }> {
  if (rows.length === 0) return { inserted: 0, updated: 0 };
  const result = await client.query<{ inserted: number; updated: number }>(
    `WITH s AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::bool[], $7::int[], $8::text[], $9::text[], $10::bool[])
         AS s("armId", "assignmentKey", "owner", "remediationDueDate", "remediationEta", "isGracePeriod", "ticketNumber", "ticketLink", "ticketStatus", "isManaged")
     ),
     w AS (
       INSERT INTO "GovernanceAssignment" AS g ("findingId", "assignmentKey", "isManaged", "owner", "remediationDueDate", "remediationEta", "isGracePeriod",
         "ticketNumber", "ticketLink", "ticketStatus", "azureState", "azureSyncedAt", "updatedAt")
       SELECT f."id", s."assignmentKey", s."isManaged", s."owner", s."remediationDueDate", s."remediationEta", s."isGracePeriod",
         s."ticketNumber", s."ticketLink", s."ticketStatus", 'synced', $11, $11
       FROM s JOIN "Finding" f ON f."armId" = s."armId"
       ON CONFLICT ("findingId", "assignmentKey") DO UPDATE SET
         "owner" = EXCLUDED."owner", "remediationDueDate" = EXCLUDED."remediationDueDate", "remediationEta" = EXCLUDED."remediationEta",
         "isGracePeriod" = EXCLUDED."isGracePeriod", "ticketNumber" = EXCLUDED."ticketNumber", "ticketLink" = EXCLUDED."ticketLink",
         "ticketStatus" = EXCLUDED."ticketStatus", "azureState" = 'synced', "azureSyncedAt" = EXCLUDED."azureSyncedAt", "updatedAt" = EXCLUDED."updatedAt"
       WHERE NOT g."isManaged"
         AND (g."owner", g."remediationDueDate", g."remediationEta", g."isGracePeriod", g."ticketNumber", g."ticketLink", g."ticketStatus")
             IS DISTINCT FROM (EXCLUDED."owner", EXCLUDED."remediationDueDate", EXCLUDED."remediationEta", EXCLUDED."isGracePeriod", EXCLUDED."ticketNumber", EXCLUDED."ticketLink", EXCLUDED."ticketStatus")
       RETURNING (g.xmax = 0) AS "isInsert"
     )
     SELECT count(*) FILTER (WHERE "isInsert")::int AS inserted, count(*) FILTER (WHERE NOT "isInsert")::int AS updated FROM w`,
    [
      rows.map((r) => r.armId),
      rows.map((r) => r.assignmentKey),
      rows.map((r) => r.owner),
      rows.map((r) => r.remediationDueDate.toISOString()),
      rows.map((r) => r.remediationEta?.toISOString() ?? null),
      rows.map((r) => r.isGracePeriod),
      rows.map((r) => r.ticketNumber),
      rows.map((r) => r.ticketLink),
      rows.map((r) => r.ticketStatus),
      rows.map((r) => r.assignmentKey.toLowerCase() === governanceAssignmentKey(r.armId)),
      now.toISOString(),
    ],
  );
  return result.rows[0]!;
}

export type GovernanceInput = IngestStepInput & { now: Date };

/** Returns whether the listing was complete (false: some assignments may be missing locally). */
export async function ingestGovernance(input: GovernanceInput): Promise<boolean> {
  const { client, db, log } = input;
  log.step("governance");
  const seen: Assignment[] = [];
  const skipped: IngestEvent[] = [];
  const take = (items: unknown[]) => {
    const good: Assignment[] = [];
    for (const item of items) {
      const n = normalizeAssignment(item);
      if (n.ok) good.push(n.value);
      else
        skipped.push({
          action: "skipped",
          entityType: "governance_assignment",
          entityId: n.id,
          message: `Skipped a governance assignment Defender returned: ${n.reason}`,
        });
    }
    seen.push(...good);
    return good;
  };
  const write = async (rows: Assignment[]) => {
    const r = await upsert(db, rows, input.now);
    log.count("governance.inserted", r.inserted);
    log.count("governance.updated", r.updated);
  };

  let isComplete = true;
  let isGraphDone = false;
  if (input.useResourceGraph) {
    try {
      for await (const page of graphGovernancePages(client, input.subscriptionIds)) await write(take(page.items));
      isGraphDone = true;
    } catch (error) {
      await log.events([
        {
          action: "error",
          entityType: "listing",
          entityId: "governance",
          message: `Governance assignments through Resource Graph failed: ${isAppError(error) ? error.message : String(error)}`,
          isRetryable: true,
        },
      ]);
    }
  }
  if (!isGraphDone) {
    // Per recommendation with unhealthy findings (assignments only exist on those), bounded.
    const keys = await db.query<{ subscriptionId: string; recommendationKey: string }>(
      `SELECT DISTINCT "subscriptionId", "recommendationKey" FROM "Finding"
       WHERE "azureTenantId" = $1::uuid AND "subscriptionId" = ANY($2::text[]) AND "status" = 'Unhealthy' AND "removedAt" IS NULL
       ORDER BY 1, 2`,
      [input.azureTenantId, input.subscriptionIds],
    );
    const pairs = keys.rows.slice(0, MAX_ARM_LISTINGS);
    if (keys.rows.length > MAX_ARM_LISTINGS) {
      isComplete = false;
      await log.events([
        {
          action: "skipped",
          entityType: "listing",
          entityId: "governance",
          message: `Governance assignments were read for ${MAX_ARM_LISTINGS} of ${keys.rows.length} recommendation × subscription pairs (Resource Graph is off or failed; ARM needs one request per pair)`,
        },
      ]);
    }
    for (const pair of pairs) {
      try {
        let next: string | undefined =
          `/subscriptions/${pair.subscriptionId}/providers/Microsoft.Security/assessments/${encodeURIComponent(pair.recommendationKey)}/governanceAssignments`;
        while (next) {
          const page: { body?: { value?: unknown[]; nextLink?: string | null } } = await client.raw<{
            value?: unknown[];
            nextLink?: string | null;
          }>({
            method: "GET",
            path: next,
            apiVersion: GOVERNANCE_API_VERSION,
            what: "governance assignment listing",
          });
          await write(take(page.body?.value ?? []));
          next = page.body?.nextLink ?? undefined;
        }
      } catch (error) {
        isComplete = false;
        log.count("errors");
        await log.events([
          {
            action: "error",
            entityType: "listing",
            entityId: `governance ${pair.subscriptionId}/${pair.recommendationKey}`,
            message: isAppError(error) ? error.message : String(error),
            isRetryable: true,
          },
        ]);
      }
    }
  }
  if (skipped.length) {
    log.count("skipped", skipped.length);
    await log.events(skipped);
  }
  if (isComplete && input.mode === "full") {
    const deleted = await db.query(
      `DELETE FROM "GovernanceAssignment" g USING "Finding" f
       WHERE g."findingId" = f."id" AND f."azureTenantId" = $1::uuid AND f."subscriptionId" = ANY($2::text[]) AND NOT g."isManaged"
         AND NOT EXISTS (SELECT 1 FROM unnest($3::text[], $4::text[]) AS s(a, k) WHERE s.a = f."armId" AND s.k = g."assignmentKey")`,
      [input.azureTenantId, input.subscriptionIds, seen.map((s) => s.armId), seen.map((s) => s.assignmentKey)],
    );
    log.count("governance.deleted", deleted.rowCount ?? 0);
  }
  return isComplete;
}
