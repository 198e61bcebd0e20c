// AWS and GCP findings (Defender's security connectors) ingested through the product path from the ARM
// emulator's demo world: both Resource Graph and the ARM listings (the SDK) give the same findings, named
// after the native resource, typed aws/… or gcp/…, with the account, region and native id kept, and the
// ticket text of an AWS finding names the account, the region and the ARN.
import { describe, expect, test } from "vitest";
import { AWS_ACCOUNT, GCP_PROJECT } from "@/emulators/seed/multicloud";
import { db } from "@/lib/db";
import { resourcePortalUrl } from "@/lib/resources/portal";
import { defaultFields } from "@/lib/tickets/draft-text";
import { loadFindings } from "@/lib/tickets/findings";
import { ingestDefender } from "./ingest";
import { newRun, registerEmulatorTenant } from "./testing/fixtures";
import { integrationSuite } from "@/test/integration";

const suite = integrationSuite({ emulators: { seed: 42, size: "demo" }, timeoutMs: 120_000 });

const multicloud = async (azureTenantId: string) => {
  const rows = await db().finding.findMany({
    where: { azureTenantId, resourceSource: { in: ["Aws", "Gcp"] } },
    select: {
      armId: true,
      resourceId: true,
      resourceName: true,
      resourceType: true,
      resourceSource: true,
      status: true,
      recommendationKey: true,
    },
    orderBy: { armId: "asc" },
  });
  const clouds = await db().cloudResource.findMany({ where: { azureTenantId }, orderBy: { resourceId: "asc" } });
  return { rows, clouds: clouds.map(({ updatedAt: _u, azureTenantId: _t, ...rest }) => rest) };
};

describe("multicloud findings", () => {
  test("Resource Graph and ARM listings both store the AWS and GCP findings with their native identity", async () => {
    const tenant = await registerEmulatorTenant(suite.emu.manifest);
    await ingestDefender(tenant.id, { mode: "full", runId: await newRun(tenant.id), strategy: "resource-graph" });
    const viaGraph = await multicloud(tenant.id);

    expect(viaGraph.rows.filter((r) => r.resourceSource === "Aws").length).toBeGreaterThanOrEqual(5);
    expect(viaGraph.rows.filter((r) => r.resourceSource === "Gcp").length).toBeGreaterThanOrEqual(4);
    const bucket = viaGraph.rows.find((r) => r.resourceName === "contoso-payments-logs")!;
    expect(bucket).toMatchObject({ resourceSource: "Aws", resourceType: "aws/s3/bucket" });
    expect(bucket.resourceId).toMatch(
      /\/providers\/Microsoft\.Security\/securityconnectors\/[^/]+\/securityentitydata\/aws-s3-bucket-contoso-payments-logs-us-east-1$/i,
    );
    const instance = viaGraph.clouds.find((c) => c.nativeResourceId?.endsWith("instance/i-0a1b2c3d4e5f60718"))!;
    expect(instance).toMatchObject({
      source: "Aws",
      accountId: AWS_ACCOUNT,
      region: "us-east-1",
      nativeResourceId: `arn:aws:ec2:us-east-1:${AWS_ACCOUNT}:instance/i-0a1b2c3d4e5f60718`,
    });
    expect(instance.connectorId).toMatch(/\/providers\/microsoft\.security\/securityconnectors\/[0-9a-f-]{36}$/i);
    const gce = viaGraph.clouds.find((c) => c.nativeResourceId?.endsWith("/instances/etl-worker-01"))!;
    expect(gce).toMatchObject({ source: "Gcp", accountId: GCP_PROJECT, region: "europe-west1-b" });
    expect(viaGraph.rows.find((r) => r.resourceName === "etl-worker-01")).toMatchObject({ resourceType: "gcp/compute/instances" });

    // The same assessments through the ARM listings (the @azure/arm-security SDK), from scratch: the same findings and identities.
    await db().subAssessment.deleteMany({});
    await db().finding.deleteMany({ where: { azureTenantId: tenant.id } });
    await db().cloudResource.deleteMany({ where: { azureTenantId: tenant.id } });
    await ingestDefender(tenant.id, { mode: "full", runId: await newRun(tenant.id), strategy: "arm" });
    const viaArm = await multicloud(tenant.id);
    expect(viaArm.rows).toEqual(viaGraph.rows);
    expect(viaArm.clouds).toEqual(viaGraph.clouds);
  }, 180_000);

  test("the ticket text of an AWS finding names the account, region and ARN; the portal link opens its connector", async () => {
    const tenant = await db().azureTenant.findFirstOrThrow({ orderBy: { createdAt: "asc" } });
    const finding = await db().finding.findFirstOrThrow({
      where: { azureTenantId: tenant.id, resourceSource: "Aws", resourceType: "aws/ec2/instance", status: "Unhealthy" },
    });
    const [loaded] = await loadFindings([finding.id]);
    expect(loaded!.cloud).toMatchObject({ source: "Aws", accountId: AWS_ACCOUNT });
    const fields = defaultFields({
      type: "incident",
      findings: [{ ...loaded!, severity: loaded!.severity, recommendation: loaded!.recommendation }],
      mapping: {
        High: { impact: 1, urgency: 1, remediationDays: 7 },
        Medium: { impact: 2, urgency: 2, remediationDays: 30 },
        Low: { impact: 3, urgency: 3, remediationDays: 90 },
      },
      defaults: { assignmentGroup: null, callerId: null },
      now: new Date(),
    });
    expect(fields.shortDescription).toContain(finding.resourceName);
    expect(fields.description).toContain(`AWS account ${AWS_ACCOUNT} · Region ${loaded!.cloud!.region}`);
    expect(fields.description).toContain(`ARN: arn:aws:ec2:${loaded!.cloud!.region}:${AWS_ACCOUNT}:instance/${finding.resourceName}`);
    expect(fields.description).toContain(`Defender resource: ${finding.resourceId}`);

    const portal = resourcePortalUrl(finding.resourceId, tenant.tenantId);
    expect(portal).toMatch(
      /^https:\/\/portal\.azure\.com\/#@[^/]+\/resource\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/Microsoft\.Security\/securityconnectors\/[0-9a-f-]{36}$/,
    );
  });
});
