// Governance automation rules on ingested tags: a rule with a tag condition (env = prod) and the owner
// taken from the `owner` tag plans tickets for exactly the Unhealthy findings whose Azure resource carries
// env = prod, each owned by that resource's owner tag — once ingestion has read the tags from Resource
// Graph. Without the tags (Resource Graph off) the same rule plans nothing, which was the gap.
// Real ingestion from a private ARM emulator into this file's PostgreSQL; the real planner (lib/rules).
import { beforeAll, describe, expect, test } from "vitest";
import { SYSTEM_ACTOR } from "@/lib/audit/audit";
import { db } from "@/lib/db";
import { planRuleTickets } from "@/lib/rules/plan";
import { createPlainConnection } from "@/lib/rules/testing";
import { createRule } from "@/lib/rules/write";
import { ZCreateRule } from "@/lib/schemas/rules";
import { runIngestJob } from "./job";
import { emulatorAssessments, newRun, registerEmulatorTenant } from "./testing/fixtures";
import { integrationSuite } from "@/test/integration";

type EmulatorResource = { id: string; tags: Record<string, string> };

const suite = integrationSuite({ emulators: "private" });
let tenantId: string;
let connectionId: string;

beforeAll(async () => {
  tenantId = (await registerEmulatorTenant(suite.emu.manifest, { useResourceGraph: false })).id;
  connectionId = await createPlainConnection({ defaultAssignmentGroup: "Cloud Security Operations" });
  await createRule(
    SYSTEM_ACTOR,
    ZCreateRule.parse({
      name: "Production resources to their owners",
      enabled: true,
      connectionId,
      conditions: { tags: [{ key: "env", value: "prod" }] },
      action: { grouping: "per_finding", ownerSource: "tag", ownerValue: "owner" },
    }),
  );
});
async function ingest(mode: "full" | "incremental"): Promise<void> {
  const runId = await newRun(tenantId);
  await runIngestJob({ runId, mode });
  const run = await db().syncRun.findUniqueOrThrow({ where: { id: runId } });
  expect(run.status, run.error ?? "").toBe("succeeded");
}

/** finding ARM id → owner tag (null when the resource has none), for Unhealthy findings on env = prod resources. */
async function expectedPlan(): Promise<Map<string, string | null>> {
  const resources = (await suite.emu.control<{ value: EmulatorResource[] }>("arm", "GET", "/_emulator/resources")).body.value;
  const tags = new Map(resources.map((r) => [r.id.toLowerCase(), r.tags]));
  const unhealthy = await emulatorAssessments(suite.emu.manifest.arm.url, { status: "Unhealthy" });
  return new Map(
    unhealthy.flatMap((a) => {
      const t = tags.get(a.resourceId.toLowerCase());
      return t?.env === "prod" ? [[a.id.toLowerCase(), t.owner ?? null] as const] : [];
    }),
  );
}

async function plannedOwners(): Promise<Map<string, string | null>> {
  const planned = await planRuleTickets({ connectionId });
  const ids = planned.flatMap((p) => p.findingIds);
  const armIds = new Map(
    (await db().finding.findMany({ where: { id: { in: ids } }, select: { id: true, armId: true } })).map((f) => [f.id, f.armId]),
  );
  expect(planned.every((p) => p.findingIds.length === 1)).toBe(true);
  return new Map(planned.map((p) => [armIds.get(p.findingIds[0]!)!, p.owner]));
}

describe("rules with tag conditions and owners from tags, on ingested findings", () => {
  test("without tags from Resource Graph, the env = prod rule matches nothing", async () => {
    await ingest("full");
    expect(await db().finding.count({ where: { azureTenantId: tenantId } })).toBe(300);
    expect(await planRuleTickets({ connectionId })).toEqual([]);
  });

  test("once ingestion reads the tags, the rule plans a ticket per Unhealthy env = prod finding, owned by its resource's owner tag", async () => {
    await db().azureTenant.update({ where: { id: tenantId }, data: { useResourceGraph: true } });
    await ingest("full");
    const expected = await expectedPlan();
    expect(expected.size).toBeGreaterThan(20);
    expect([...expected.values()].filter((o) => o !== null).length).toBeGreaterThan(expected.size / 2);
    expect(await plannedOwners()).toEqual(expected);
  });

  test("a resource re-tagged in Azure (prod → dev, new owner) changes the plan after the next full pass", async () => {
    const before = await expectedPlan();
    const [movedOut] = [...before.keys()];
    const movedOutResource = (await emulatorAssessments(suite.emu.manifest.arm.url)).find(
      (a) => a.id.toLowerCase() === movedOut,
    )!.resourceId;
    const unhealthy = await emulatorAssessments(suite.emu.manifest.arm.url, { status: "Unhealthy" });
    const movedIn = unhealthy.find((a) => !before.has(a.id.toLowerCase()) && a.resourceId.includes("/providers/"))!;
    await suite.emu.control("arm", "PATCH", "/_emulator/resources/tags", { ids: [movedOutResource], tags: { env: "dev" }, merge: true });
    await suite.emu.control("arm", "PATCH", "/_emulator/resources/tags", {
      ids: [movedIn.resourceId],
      tags: { env: "prod", owner: "ari.analyst@contoso.example" },
      merge: true,
    });

    await ingest("full");
    const after = await plannedOwners();
    expect(after.has(movedOut!)).toBe(false);
    expect(after.get(movedIn.id.toLowerCase())).toBe("ari.analyst@contoso.example");
    expect(after).toEqual(await expectedPlan());
  });
});
