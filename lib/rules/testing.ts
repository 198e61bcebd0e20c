// Test support for rules (never imported by product code): findings with exactly the attributes a
// planner test needs, written straight into the test database the way ingestion stores them, and a
// connection that needs no ServiceNow call to create.
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import { encryptSecret } from "@/lib/crypto/secrets";
import { DEFAULT_SEVERITY_MAPPING } from "@/lib/schemas/connections";

export type TestFinding = {
  recommendationKey: string;
  subscriptionId?: string;
  resourceGroup?: string | null;
  resourceName?: string;
  status?: "Healthy" | "Unhealthy" | "NotApplicable";
  tags?: Record<string, string>;
  isRemoved?: boolean;
};

export type TestRecommendation = { key: string; displayName: string; severity: "High" | "Medium" | "Low"; categories: string[] };

export const SUB_A = "aaaaaaaa-0000-4000-8000-000000000001";
export const SUB_B = "bbbbbbbb-0000-4000-8000-000000000002";

export async function createTenant(name = "Test tenant"): Promise<string> {
  const tenant = await db().azureTenant.create({
    data: {
      name,
      tenantId: randomUUID(),
      clientId: randomUUID(),
      clientSecretEnc: encryptSecret("x"),
      authorityHost: "https://login.example",
      armEndpoint: "https://arm.example",
    },
  });
  return tenant.id;
}

export async function createRecommendations(recs: TestRecommendation[]): Promise<void> {
  await db().recommendation.createMany({
    data: recs.map((r) => ({ key: r.key, displayName: r.displayName, severity: r.severity, categories: r.categories, threats: [] })),
    skipDuplicates: true,
  });
}

/** Inserts findings; returns their ids in the given order. ARM ids sort in the given order too. */
export async function createFindings(tenantId: string, findings: TestFinding[], prefix = randomUUID().slice(0, 8)): Promise<string[]> {
  const recs = await db().recommendation.findMany({
    where: { key: { in: [...new Set(findings.map((f) => f.recommendationKey))] } },
    select: { key: true, severity: true },
  });
  const severity = new Map(recs.map((r) => [r.key, r.severity]));
  const rows = findings.map((f, i) => {
    const sub = f.subscriptionId ?? SUB_A;
    const rg = f.resourceGroup === undefined ? "rg-app" : f.resourceGroup;
    const name = f.resourceName ?? `res-${prefix}-${String(i).padStart(5, "0")}`;
    const resourceId = rg
      ? `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${name}`
      : `/subscriptions/${sub}`;
    return {
      armId: `${resourceId}/providers/Microsoft.Security/assessments/${f.recommendationKey}/${prefix}-${String(i).padStart(5, "0")}`,
      azureTenantId: tenantId,
      subscriptionId: sub,
      resourceGroup: rg,
      resourceId,
      resourceType: "Microsoft.Compute/virtualMachines",
      resourceName: name,
      tags: f.tags ?? {},
      recommendationKey: f.recommendationKey,
      severity: severity.get(f.recommendationKey) ?? "Medium",
      status: f.status ?? "Unhealthy",
      removedAt: f.isRemoved ? new Date() : null,
    };
  });
  await db().finding.createMany({ data: rows });
  // Ingestion records each subscription it reads findings from (rule conditions may only name those).
  const subscriptions = [...new Set(rows.map((r) => r.subscriptionId))];
  await db().subscription.createMany({
    data: subscriptions.map((subscriptionId) => ({
      azureTenantId: tenantId,
      subscriptionId,
      displayName: `Subscription ${subscriptionId.slice(0, 8)}`,
    })),
    skipDuplicates: true,
  });
  const stored = await db().finding.findMany({ where: { armId: { in: rows.map((r) => r.armId) } }, select: { id: true, armId: true } });
  const byArm = new Map(stored.map((s) => [s.armId, s.id]));
  return rows.map((r) => byArm.get(r.armId)!);
}

/** A connection row (the planner never calls ServiceNow, so no instance is needed). */
export async function createPlainConnection(
  overrides: { itsmEnabled?: boolean; isArchived?: boolean; defaultAssignmentGroup?: string | null } = {},
): Promise<string> {
  const connection = await db().serviceNowConnection.create({
    data: {
      name: `Plan test ${randomUUID().slice(0, 8)}`,
      instanceUrl: "https://plan-test.service-now.example",
      authType: "basic",
      username: "u",
      passwordEnc: encryptSecret("p"),
      severityMapping: DEFAULT_SEVERITY_MAPPING,
      itsmEnabled: overrides.itsmEnabled ?? true,
      defaultAssignmentGroup: overrides.defaultAssignmentGroup ?? null,
      correlationPrefix: `plan-${randomUUID().slice(0, 8)}`,
      deletedAt: overrides.isArchived ? new Date() : null,
    },
  });
  return connection.id;
}

/** Links findings to a ticket of a connection, as active ITSM links (as the ticket service would have). */
export async function linkTicket(ticketId: string, connectionId: string, findingIds: string[]): Promise<void> {
  await db().ticketLink.createMany({
    data: findingIds.map((findingId) => ({
      ticketId,
      findingId,
      connectionId,
      activeConnectionId: connectionId,
      module: "itsm" as const,
      linkedByType: "system" as const,
    })),
  });
}

/** Gives findings an active ITSM ticket on a connection (as the ticket service would have). */
export async function ticketFindings(connectionId: string, findingIds: string[]): Promise<string> {
  const sysId = randomUUID().replace(/-/g, "");
  const ticket = await db().ticket.create({
    data: {
      connectionId,
      table: "incident",
      sysId,
      number: `INC${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`,
      rawState: "1",
      state: "open",
      url: `https://plan-test.service-now.example/incident.do?sys_id=${sysId}`,
      createdByType: "system",
    },
  });
  await linkTicket(ticket.id, connectionId, findingIds);
  return ticket.id;
}
