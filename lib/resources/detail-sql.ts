import "server-only";

// GET /api/resources/{id}: everything Defender says about one Azure resource — every finding on it
// (with its tickets and governance, the same DTO as the findings list), its tags and a link to its own
// blade in the Azure portal. ARM ids are case-insensitive: an exact match uses the resourceId index; a
// differently cased id falls back to a case-insensitive match.
import { type Actor } from "@/lib/auth/actor";
import { assertRole } from "@/lib/auth/authorize";
import { pool } from "@/lib/db";
import { findingDetails } from "@/lib/findings/list";
import { tagsOf } from "@/lib/findings/dto";
import { AppError } from "@/lib/http/errors";
import { type TResourceDetail } from "@/lib/schemas/resources";
import { resourcePortalUrl } from "./portal";

/** A resource has one finding per recommendation that applies to it: a few dozen at most in practice. */
const MAX_FINDINGS = 500;

const ORDER = `f."removedAt" IS NOT NULL, CASE f."status" WHEN 'Unhealthy' THEN 0 WHEN 'Healthy' THEN 1 ELSE 2 END, f."severity" ASC, r."displayName"`;

type Row = { id: string; resourceId: string };

async function findingIdsOf(resourceId: string): Promise<Row[]> {
  const select = (cond: string) =>
    `SELECT f."id", f."resourceId" FROM "Finding" f JOIN "Recommendation" r ON r."key" = f."recommendationKey"
     WHERE ${cond} AND EXISTS (SELECT 1 FROM "AzureTenant" a WHERE a."id" = f."azureTenantId" AND a."deletedAt" IS NULL)
     ORDER BY ${ORDER}, f."id" LIMIT ${MAX_FINDINGS}`;
  const exact = await pool().query<Row>(select(`f."resourceId" = $1`), [resourceId]);
  if (exact.rows.length > 0) return exact.rows;
  return (await pool().query<Row>(select(`lower(f."resourceId") = lower($1)`), [resourceId])).rows;
}

export async function getResource(actor: Actor, resourceId: string): Promise<TResourceDetail> {
  assertRole(actor, "manager", "Reading resources");
  const rows = await findingIdsOf(resourceId);
  if (rows.length === 0)
    throw new AppError("NOT_FOUND", { message: "Defender reports nothing about this resource (or its Azure tenant was removed)" });
  const canonicalId = rows[0]!.resourceId;
  const [findings, header] = await Promise.all([
    findingDetails(rows.map((r) => r.id)),
    pool().query<{ azureTenantId: string; tenantName: string; directoryId: string; armEndpoint: string; tags: unknown }>(
      `SELECT a."id" AS "azureTenantId", a."name" AS "tenantName", a."tenantId" AS "directoryId", a."armEndpoint", f."tags"
       FROM "Finding" f JOIN "AzureTenant" a ON a."id" = f."azureTenantId" WHERE f."id" = $1`,
      [rows[0]!.id],
    ),
  ]);
  const first = findings[0]!;
  const h = header.rows[0]!;
  const current = findings.filter((f) => f.removedAt === null);
  const unhealthy = current.filter((f) => f.status === "Unhealthy");
  // Tags come from Resource Graph at ingestion; every finding of the resource carries the same ones — the newest row wins.
  const tags = tagsOf(h.tags);
  return {
    resourceId: canonicalId,
    name: first.resourceType === "microsoft.resources/subscriptions" ? (first.subscriptionName ?? first.resourceName) : first.resourceName,
    type: first.resourceType,
    resourceGroup: first.resourceGroup,
    subscriptionId: first.subscriptionId,
    subscriptionName: first.subscriptionName,
    tenant: { id: h.azureTenantId, name: h.tenantName, directoryId: h.directoryId },
    portalUrl: resourcePortalUrl(canonicalId, h.directoryId, h.armEndpoint),
    tags: Object.keys(tags).length > 0 ? tags : (findings.find((f) => Object.keys(f.tags).length > 0)?.tags ?? {}),
    counts: {
      High: unhealthy.filter((f) => f.severity === "High").length,
      Medium: unhealthy.filter((f) => f.severity === "Medium").length,
      Low: unhealthy.filter((f) => f.severity === "Low").length,
      healthy: current.filter((f) => f.status === "Healthy").length,
      notApplicable: current.filter((f) => f.status === "NotApplicable").length,
      withTicket: unhealthy.filter((f) => f.tickets.length > 0).length,
    },
    findings,
  };
}
