// AWS and GCP assessments in the shapes Defender returns them: Resource Graph rows (PascalCase
// resourceDetails with Source "Aws"/"Gcp", the connector's entity id and the native id) and REST bodies
// (camelCase), with account and region read from explicit fields or derived from the ARN / GCP resource name.
import { describe, expect, test } from "vitest";
import { normalizeAssessment } from "./normalize";

const SUB = "69444886-de6b-40c5-8b43-065f739fffb9";
const CONNECTOR = `/subscriptions/${SUB}/resourcegroups/MyResourceGroupName/providers/Microsoft.Security/securityconnectors/b3113210-63f9-43c5-a6a7-f14a2a5b3cd0`;
const KEY = "8d7d4ab4-0c5d-4c1e-a5b9-2f2c5a1d9e37";
// The entity id and ARN of Microsoft's "Manage AWS assessments and standards" example (an Elastic IP in eu-west-2).
const EIP = `${CONNECTOR}/securityentitydata/aws-ec2-elastic-ip-eipalloc-1234abcd5678efef9-eu-west-2`;
const EIP_ARN = "arn:aws:ec2:eu-west-2:123456789123:elastic-ip/eipalloc-1234abcd5678efef9";

const status = { code: "Unhealthy", firstEvaluationDate: "2026-01-02T03:04:05Z", statusChangeDate: "2026-02-03T04:05:06Z" };
const graphRow = (resourceDetails: Record<string, unknown>, resourceId = EIP) => ({
  id: `${resourceId}/providers/Microsoft.Security/assessments/${KEY}`,
  name: KEY,
  type: "microsoft.security/assessments",
  properties: { resourceDetails, displayName: "EC2 Elastic IPs should be attached to instances or ENIs", status },
});

describe("multicloud assessments", () => {
  test("a Resource Graph row of an AWS resource: Source Aws, entity id, ARN → name, type, account, region, connector", () => {
    const n = normalizeAssessment(
      graphRow({
        Source: "Aws",
        Id: EIP,
        NativeResourceId: EIP_ARN,
        ResourceName: "eipalloc-1234abcd5678efef9",
        ResourceProvider: "EC2",
        ResourceType: "elastic-ip",
        HierarchyId: "123456789123",
        Region: "eu-west-2",
      }),
    );
    expect(n).toMatchObject({
      ok: true,
      value: {
        subscriptionId: SUB,
        resourceId: EIP,
        resourceGroup: "MyResourceGroupName",
        resourceSource: "Aws",
        resourceName: "eipalloc-1234abcd5678efef9",
        resourceType: "aws/ec2/elastic-ip",
        status: "Unhealthy",
        cloud: { source: "Aws", nativeResourceId: EIP_ARN, accountId: "123456789123", region: "eu-west-2", connectorId: CONNECTOR },
      },
    });
  });

  test("with only the source, the id and the ARN (camelCase REST body): account, region and name come from the ARN", () => {
    const n = normalizeAssessment(graphRow({ source: "Aws", id: EIP, nativeResourceId: EIP_ARN }));
    expect(n.ok && n.value).toMatchObject({
      resourceName: "eipalloc-1234abcd5678efef9",
      resourceType: "aws/ec2/elastic",
      cloud: { accountId: "123456789123", region: "eu-west-2" },
    });
  });

  test("an S3 bucket ARN has no region or account: they come from the explicit fields", () => {
    const bucket = `${CONNECTOR}/securityentitydata/aws-s3-bucket-contoso-logs-us-east-1`;
    const n = normalizeAssessment(
      graphRow(
        { Source: "Aws", Id: bucket, NativeResourceId: "arn:aws:s3:::contoso-logs", AwsAccountId: "123456789012", AwsRegion: "us-east-1" },
        bucket,
      ),
    );
    expect(n.ok && n.value).toMatchObject({
      resourceName: "contoso-logs",
      resourceType: "aws/s3/bucket",
      cloud: { accountId: "123456789012", region: "us-east-1", nativeResourceId: "arn:aws:s3:::contoso-logs" },
    });
  });

  test("a GCP resource: project and zone from the full resource name; the project number only when nothing better exists", () => {
    const vm = `${CONNECTOR}/securityentitydata/gcp-compute-instances-etl-worker-01-europe-west1-b`;
    const native = "//compute.googleapis.com/projects/contoso-analytics-prod/zones/europe-west1-b/instances/etl-worker-01";
    const n = normalizeAssessment(graphRow({ Source: "Gcp", Id: vm, NativeResourceId: native, HierarchyId: "804121157231" }, vm));
    expect(n.ok && n.value).toMatchObject({
      resourceSource: "Gcp",
      resourceName: "etl-worker-01",
      resourceType: "gcp/compute/instances",
      cloud: { source: "Gcp", accountId: "contoso-analytics-prod", region: "europe-west1-b" },
    });
    const bucket = `${CONNECTOR}/securityentitydata/gcp-storage-buckets-exports-europe-west1`;
    const b = normalizeAssessment(
      graphRow(
        { Source: "Gcp", Id: bucket, NativeResourceId: "//storage.googleapis.com/projects/_/buckets/exports", HierarchyId: "804121157231" },
        bucket,
      ),
    );
    expect(b.ok && b.value).toMatchObject({ resourceName: "exports", cloud: { accountId: "804121157231", region: null } });
  });

  test("an entity id without resourceDetails (e.g. dropped by a client model) is still recognised as AWS", () => {
    const n = normalizeAssessment({ id: `${EIP}/providers/Microsoft.Security/assessments/${KEY}`, name: KEY, properties: { status } });
    expect(n.ok && n.value).toMatchObject({
      resourceSource: "Aws",
      resourceType: "aws/ec2/elastic",
      cloud: { source: "Aws", nativeResourceId: null, connectorId: CONNECTOR },
    });
  });

  test("Azure resources have no cloud details, whatever the casing of Source", () => {
    const vm = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1`;
    const n = normalizeAssessment(graphRow({ Source: "Azure", Id: vm }, vm));
    expect(n.ok && n.value).toMatchObject({ resourceSource: "Azure", resourceType: "microsoft.compute/virtualmachines", cloud: null });
  });
});
