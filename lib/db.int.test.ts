// Encrypted columns (names ending in `Enc`) stay out of every Prisma read unless the reader asks for one
// by name (lib/db.ts omitSecrets): plain reads and relation includes leave them out, an explicit
// `omit: { …: false }` brings them back, and the list covers every such column of the migrated database.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { WITH_TENANT_SECRET } from "@/lib/azure-tenants/client";
import { WITH_CREDENTIALS } from "@/lib/connections/client";
import { decryptSecret } from "@/lib/crypto/secrets";
import { db, omitSecrets, pool } from "@/lib/db";
import { createPlainConnection, createTenant, SUB_A } from "@/lib/rules/testing";
import { configureTestEnv } from "@/test/app";
import { type BoundTestDatabase, useTestDatabase } from "@/test/db";

let database: BoundTestDatabase;
let tenantId: string;
let connectionId: string;

beforeAll(async () => {
  configureTestEnv((database = await useTestDatabase()).url);
  [tenantId, connectionId] = await Promise.all([createTenant(), createPlainConnection()]);
  await db().subscription.create({ data: { azureTenantId: tenantId, subscriptionId: SUB_A, displayName: "Subscription A" } });
}, 60_000);

afterAll(() => database?.drop());

describe("encrypted columns are omitted by default", () => {
  test("omitSecrets names every column of the database whose name ends in Enc", async () => {
    const { rows } = await pool().query<{ table: string; column: string }>(
      `SELECT table_name AS table, column_name AS column FROM information_schema.columns
        WHERE table_schema = current_schema() AND column_name LIKE '%Enc' ORDER BY 1, 2`,
    );
    const modelOf = (table: string) => table[0]!.toLowerCase() + table.slice(1);
    const listed = Object.entries(omitSecrets).flatMap(([model, columns]) => Object.keys(columns).map((c) => `${model}.${c}`));
    expect(rows.map((r) => `${modelOf(r.table)}.${r.column}`).sort()).toEqual(listed.sort());
  });

  test("a plain findUnique, a findMany and an include return no *Enc field", async () => {
    const tenant = await db().azureTenant.findUniqueOrThrow({ where: { id: tenantId } });
    expect(tenant).not.toHaveProperty("clientSecretEnc");
    const [connection] = await db().serviceNowConnection.findMany({ where: { id: connectionId } });
    for (const column of Object.keys(omitSecrets.serviceNowConnection)) expect(connection).not.toHaveProperty(column);
    const subscription = await db().subscription.findFirstOrThrow({ where: { azureTenantId: tenantId }, include: { azureTenant: true } });
    expect(subscription.azureTenant).not.toHaveProperty("clientSecretEnc");
  });

  test("a reader that asks for the secret gets it, and it decrypts", async () => {
    const tenant = await db().azureTenant.findUniqueOrThrow({ where: { id: tenantId }, omit: WITH_TENANT_SECRET });
    expect(decryptSecret(tenant.clientSecretEnc)).toBe("x");
    const connection = await db().serviceNowConnection.findUniqueOrThrow({ where: { id: connectionId }, omit: WITH_CREDENTIALS });
    expect(decryptSecret(connection.passwordEnc)).toBe("p");
    expect(connection).not.toHaveProperty("webhookSecretEnc");
  });
});
