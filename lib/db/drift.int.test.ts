// The migrations produce exactly what prisma/schema.prisma describes, and the database itself
// enforces what the schema promises (append-only history, no duplicate tickets or active links).
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { schemaDrift } from "@/lib/db/drift";
import type { Db } from "@/lib/db";
import { useTestDatabase, type BoundTestDatabase } from "@/test/db";

let database: BoundTestDatabase;
let prisma: Db;

beforeAll(async () => {
  database = await useTestDatabase();
  prisma = database.db;
});

afterAll(async () => {
  await database.drop();
});

describe("schemaDrift", () => {
  test("finds no difference between the migrated database and schema.prisma", async () => {
    const drift = await schemaDrift({ databaseUrl: database.url });
    expect(drift.script.trim()).toBe("-- This is an empty migration.");
    expect(drift.isEmpty).toBe(true);
  });

  test("reports the difference when the schema says something the migrations do not", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pd-drift-"));
    try {
      const schema = await readFile("prisma/schema.prisma", "utf8");
      const modified = schema.replace(/model Finding \{\n/, "model Finding {\n  triageNote String?\n");
      expect(modified).not.toBe(schema);
      await writeFile(join(dir, "schema.prisma"), modified);

      const drift = await schemaDrift({ databaseUrl: database.url, schemaPath: join(dir, "schema.prisma") });

      expect(drift.isEmpty).toBe(false);
      expect(drift.script).toContain('ALTER TABLE "Finding" ADD COLUMN     "triageNote" TEXT');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("database guarantees", () => {
  let runId: string;
  let connectionId: string;
  let findingId: string;

  beforeAll(async () => {
    const tenant = await prisma.azureTenant.create({
      data: { name: "t", tenantId: "tid", clientId: "cid", clientSecretEnc: "x", authorityHost: "https://h", armEndpoint: "https://a" },
    });
    await prisma.recommendation.create({ data: { key: "rec-1", displayName: "Rec", severity: "High", categories: [], threats: [] } });
    const finding = await prisma.finding.create({
      data: {
        armId: "/subscriptions/s/providers/Microsoft.Security/assessments/rec-1",
        azureTenantId: tenant.id,
        subscriptionId: "s",
        resourceId: "/subscriptions/s",
        resourceType: "subscription",
        resourceName: "s",
        recommendationKey: "rec-1",
        severity: "High",
        status: "Unhealthy",
      },
    });
    findingId = finding.id;
    const connection = await prisma.serviceNowConnection.create({
      data: { name: "sn", instanceUrl: "https://sn", authType: "basic", username: "u", passwordEnc: "x", severityMapping: {} },
    });
    connectionId = connection.id;
    runId = (await prisma.syncRun.create({ data: { kind: "servicenow_sync", trigger: "manual", connectionId } })).id;
  });

  test("SyncEvent rows can be added but never changed or deleted", async () => {
    const event = await prisma.syncEvent.create({ data: { runId, action: "created", entityType: "ticket", message: "first" } });

    await expect(prisma.syncEvent.update({ where: { id: event.id }, data: { message: "rewritten" } })).rejects.toThrow(/append-only/);
    await expect(prisma.syncEvent.delete({ where: { id: event.id } })).rejects.toThrow(/append-only/);
    await expect(database.pool.query('DELETE FROM "SyncEvent"')).rejects.toThrow(/"SyncEvent" is append-only: DELETE/);
    expect((await prisma.syncEvent.findUniqueOrThrow({ where: { id: event.id } })).message).toBe("first");
  });

  test("AuditLog rows can be added but never changed or deleted", async () => {
    const entry = await prisma.auditLog.create({ data: { actorType: "user", actorName: "ann", action: "ticket.create" } });

    await expect(database.pool.query(`UPDATE "AuditLog" SET "actorName" = 'eve' WHERE id = $1`, [entry.id])).rejects.toThrow(
      /"AuditLog" is append-only: UPDATE/,
    );
    await expect(prisma.auditLog.deleteMany({})).rejects.toThrow(/append-only/);
    expect(await prisma.auditLog.count()).toBe(1);
  });

  test("a ServiceNow record or correlation id maps to one ticket per connection", async () => {
    const ticket = {
      connectionId,
      table: "incident" as const,
      sysId: "0123456789abcdef0123456789abcdef",
      number: "INC0010001",
      rawState: "1",
      state: "open" as const,
      url: "https://sn/incident",
      correlationId: "posturedesk:f:1",
      createdByType: "rule" as const,
    };
    await prisma.ticket.create({ data: ticket });

    await expect(prisma.ticket.create({ data: { ...ticket, number: "INC0010002", correlationId: "other" } })).rejects.toMatchObject({
      code: "P2002",
    });
    await expect(prisma.ticket.create({ data: { ...ticket, sysId: "f".repeat(32), number: "INC0010003" } })).rejects.toMatchObject({
      code: "P2002",
    });
  });

  test("a finding has at most one active ticket link per connection and module", async () => {
    const make = (n: number) =>
      prisma.ticket.create({
        data: {
          connectionId,
          table: "incident",
          sysId: `${n}`.padStart(32, "a"),
          number: `INC00200${n}`,
          rawState: "1",
          state: "open",
          url: "u",
          createdByType: "user",
        },
      });
    const [t1, t2, t3] = [await make(1), await make(2), await make(3)];
    const link = (ticketId: string, isActive: boolean) =>
      prisma.ticketLink.create({
        data: { ticketId, findingId, connectionId, activeConnectionId: isActive ? connectionId : null, linkedByType: "user" },
      });

    await link(t1.id, true);
    await expect(link(t2.id, true)).rejects.toMatchObject({ code: "P2002" });
    // Superseded (inactive) links are history and may repeat.
    await link(t2.id, false);
    await link(t3.id, false);
    // The active marker must be the link's own connection, else the unique index could be sidestepped.
    await expect(
      database.pool.query(
        `INSERT INTO "TicketLink" ("ticketId", "findingId", "connectionId", "activeConnectionId", "linkedByType")
         VALUES ($1, $2, $3, gen_random_uuid(), 'user')`,
        [t3.id, findingId, connectionId],
      ),
    ).rejects.toThrow(/TicketLink_activeConnectionId_check/);
  });
});
