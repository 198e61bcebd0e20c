// The ServiceNow part of the demo bootstrap: registers the emulator's instance once (idempotent,
// follows a changed address, respects a deletion) and tickets a few findings after the first ingestion.
import { expect, test } from "vitest";
import { db } from "@/lib/db";
import { seedFindingsFromEmulator } from "@/lib/tickets/testing";
import { bootstrapServiceNowDemo } from "./servicenow";
import { integrationSuite } from "@/test/integration";

const suite = integrationSuite();

async function until<T>(probe: () => Promise<T | null>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 250));
  }
}

test("registers the emulator once, then tickets some findings of several recommendations after the first ingestion", async () => {
  const summary = await bootstrapServiceNowDemo(suite.emu.manifest);
  expect(summary).toContain("registered");
  expect(await bootstrapServiceNowDemo(suite.emu.manifest)).toContain("kept");
  const connections = await db().serviceNowConnection.findMany();
  expect(connections).toHaveLength(1);
  expect(connections[0]).toMatchObject({ authType: "oauth", itsmEnabled: true, ccEnabled: true, allowPrivateNetwork: true });

  // The ingestion (stand-in) stores findings and records its finished run.
  await seedFindingsFromEmulator(suite.emu.manifest);
  await db().syncRun.create({ data: { kind: "defender_ingest", trigger: "startup", status: "succeeded", finishedAt: new Date() } });

  const marker = await until(
    async () => (await db().appSetting.findUnique({ where: { key: "demo.servicenow.tickets" } }))?.value as { numbers: string[] } | null,
  );
  expect(marker.numbers.length).toBeGreaterThanOrEqual(3);
  const tickets = await db().ticket.findMany({ include: { links: { include: { finding: true } } } });
  expect(new Set(tickets.map((t) => t.table))).toEqual(new Set(["incident", "problem", "change_request"]));
  // Each ticketed recommendation keeps unticketed unhealthy resources: both sides of the view.
  for (const t of tickets) {
    const key = t.links[0]!.finding.recommendationKey;
    const open = await db().finding.count({ where: { recommendationKey: key, status: "Unhealthy", links: { none: {} } } });
    expect(open).toBeGreaterThan(0);
  }
  expect((await db().governanceAssignment.findMany()).every((g) => g.azureState === "synced")).toBe(true);
});

test("follows a changed emulator address, and leaves a deleted demo connection deleted", async () => {
  const moved = {
    ...suite.emu.manifest,
    servicenow: { ...suite.emu.manifest.servicenow, url: suite.emu.manifest.servicenow.url.replace("localhost", "127.0.0.1") },
  };
  expect(await bootstrapServiceNowDemo(moved)).toContain("updated");
  const connection = await db().serviceNowConnection.findFirstOrThrow();
  expect(connection.instanceUrl).toBe(new URL(moved.servicenow.url).origin);
  await db().serviceNowConnection.update({ where: { id: connection.id }, data: { deletedAt: new Date() } });
  expect(await bootstrapServiceNowDemo(suite.emu.manifest)).toContain("deleted");
  expect(await db().serviceNowConnection.count()).toBe(1);
});
