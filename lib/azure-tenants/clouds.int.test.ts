// Both clouds end to end against the emulators: the ARM emulator runs a second time as Azure US
// Government (its own port and audience https://management.usgovcloudapi.net). For each cloud, a
// connection of that cloud signs in the ARM service principal (real MSAL, token for the cloud's
// audience), passes "Test connection", ingests every assessment (real SDK + Resource Graph) and writes a
// governance assignment back (the product's push). A token for the other cloud's audience is refused
// with ARM's 401 InvalidAuthenticationTokenAudience, and the user is told so.
import { describe, expect, test } from "vitest";
import { SYSTEM_ACTOR } from "@/lib/audit/audit";
import { type Actor } from "@/lib/auth/actor";
import { archiveAzureTenant } from "@/lib/azure-tenants/service";
import { testAzureTenant } from "@/lib/azure-tenants/test-connection";
import { db } from "@/lib/db";
import { writeDesiredGovernance } from "@/lib/governance/desired-sql";
import { pushGovernance } from "@/lib/governance/push";
import { runIngestJob } from "@/lib/ingestion/job";
import {
  emulatorAssessments,
  emulatorAzureClient,
  FAST_AZURE,
  newRun,
  registerEmulatorTenant,
  storedFindings,
  asMap,
} from "@/lib/ingestion/testing/fixtures";
import { integrationSuite } from "@/test/integration";

const admin: Actor = {
  type: "user",
  id: "00000000-0000-0000-0000-00000000ad01",
  name: "Ada Admin",
  email: "ada@contoso.example",
  role: "ADMIN",
};
// Emulators of its own: the check that the write reached only its cloud reads both Resource Managers'
// assignments, which other files writing governance for the same findings would change meanwhile.
const suite = integrationSuite({ timeoutMs: 60_000, emulators: "private" });

type GovAssignment = { key: string; properties: { additionalData?: { ticketNumber?: number } } };

async function assignmentsIn(armUrl: string): Promise<GovAssignment[]> {
  const response = await fetch(`${armUrl}/_emulator/governance/assignments`);
  return ((await response.json()) as { value: GovAssignment[] }).value;
}

const clouds = [
  {
    cloud: "public" as const,
    audience: "https://management.azure.com",
    armUrl: () => suite.emu.manifest.arm.url,
    otherUrl: () => suite.emu.manifest.armGov!.url,
  },
  {
    cloud: "usgov" as const,
    audience: "https://management.usgovcloudapi.net",
    armUrl: () => suite.emu.manifest.armGov!.url,
    otherUrl: () => suite.emu.manifest.arm.url,
  },
];

describe.each(clouds)("cloud $cloud", ({ cloud, audience, armUrl, otherUrl }) => {
  test("signs in for the cloud's audience, tests, ingests everything and writes governance back", async () => {
    const tenant = await registerEmulatorTenant(suite.emu.manifest, { cloud, armEndpoint: armUrl() });
    expect(tenant).toMatchObject({ cloud, armAudience: audience, armEndpoint: armUrl() });
    try {
      // Sign-in: the token MSAL gets is for this cloud's audience.
      const client = emulatorAzureClient(suite.emu.manifest, { armEndpoint: armUrl(), armAudience: audience });
      expect(client.armScope).toBe(`${audience}/.default`);
      const token = await client.credential.getToken(client.armScope);
      const claims = JSON.parse(Buffer.from(token!.token.split(".")[1]!, "base64url").toString("utf8")) as { aud: string };
      expect(claims.aud).toBe(`${audience}/`);

      const result = await testAzureTenant(admin, tenant.id);
      expect(
        result.steps.map((s) => [s.id, s.status]),
        JSON.stringify(result.steps),
      ).toEqual([
        ["address", "ok"],
        ["token", "ok"],
        ["subscriptions", "ok"],
        ["security-reader", "ok"],
        ["resource-graph", "ok"],
      ]);
      expect(result.steps[1]!.message).toContain(`${audience}/.default`);

      const runId = await newRun(tenant.id);
      await runIngestJob({ runId, mode: "full" });
      const run = await db().syncRun.findUniqueOrThrow({ where: { id: runId } });
      expect(run.status, run.error ?? "").toBe("succeeded");
      expect(await storedFindings(tenant.id)).toEqual(asMap(await emulatorAssessments(armUrl())));

      // Governance write-back through the product's push, to this cloud's Resource Manager only.
      const finding = await db().finding.findFirstOrThrow({
        where: { azureTenantId: tenant.id, status: "Unhealthy" },
        orderBy: { armId: "asc" },
      });
      const ids = await db().$transaction((tx) =>
        writeDesiredGovernance(tx, [finding], {
          owner: "ari.analyst@contoso.example",
          remediationDueDate: new Date("2030-01-31T00:00:00Z"),
          isGracePeriod: false,
          ticket: {
            number: "INC0077001",
            table: "incident",
            url: "https://sn.example/nav_to.do?uri=incident.do%3Fsys_id%3Dabc",
            status: "New",
          },
        }),
      );
      expect(await pushGovernance(ids)).toEqual({ synced: 1, failed: 0 });
      const written = await db().governanceAssignment.findUniqueOrThrow({ where: { id: ids[0]! } });
      expect(written.azureState).toBe("synced");
      expect((await assignmentsIn(armUrl())).map((a) => a.key)).toContain(written.assignmentKey);
      expect((await assignmentsIn(otherUrl())).map((a) => a.key)).not.toContain(written.assignmentKey);
      await client.governance.deleteAssignment({
        resourceId: finding.resourceId,
        assessmentName: finding.recommendationKey,
        assignmentKey: written.assignmentKey,
      });
    } finally {
      await archiveAzureTenant(SYSTEM_ACTOR, tenant.id);
    }
  }, 120_000);

  test("a token for the other cloud's audience is refused with 401 InvalidAuthenticationTokenAudience", async () => {
    const wrong = emulatorAzureClient(suite.emu.manifest, { armEndpoint: otherUrl(), armAudience: audience, ...FAST_AZURE });
    await expect(wrong.listSubscriptions()).rejects.toMatchObject({
      code: "UPSTREAM_AUTH",
      message: expect.stringMatching(/HTTP 401: .*InvalidAuthenticationTokenAudience.*wrong audience or resource/),
    });
  });
});

test("Test connection of a connection whose cloud does not match its endpoint says the token was refused for its audience", async () => {
  // A public-cloud connection pointed at the US Government Resource Manager.
  const tenant = await registerEmulatorTenant(suite.emu.manifest, { cloud: "public", armEndpoint: suite.emu.manifest.armGov!.url });
  try {
    const result = await testAzureTenant(admin, tenant.id);
    const subscriptions = result.steps.find((s) => s.id === "subscriptions")!;
    expect(result.isOk).toBe(false);
    expect(subscriptions.status).toBe("failed");
    expect(subscriptions.message).toContain("InvalidAuthenticationTokenAudience");
  } finally {
    await archiveAzureTenant(SYSTEM_ACTOR, tenant.id);
  }
});
