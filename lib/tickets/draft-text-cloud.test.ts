import { describe, expect, test } from "vitest";
import { DEFAULT_SEVERITY_MAPPING } from "@/lib/schemas/connections";
import { type DraftFinding, defaultFields } from "./draft-text";

const ENTITY =
  "/subscriptions/s1/resourcegroups/rg-mc/providers/Microsoft.Security/securityconnectors/c1/securityentitydata/aws-ec2-instance-i-0abc-us-east-1";
const aws: DraftFinding = {
  id: "f1",
  resourceId: ENTITY,
  resourceName: "i-0abc",
  resourceType: "aws/ec2/instance",
  resourceGroup: "rg-mc",
  subscriptionId: "s1",
  severity: "Medium",
  portalUrl: "https://portal.azure.com/#blade/Microsoft_Azure_Security/RecommendationsBlade/assessmentKey/k1",
  recommendation: {
    key: "k1",
    displayName: "EC2 instances should be managed by AWS Systems Manager",
    severity: "Medium",
    description: "",
    remediation: "",
  },
  cloud: {
    source: "Aws",
    accountId: "123456789012",
    region: "us-east-1",
    nativeResourceId: "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc",
  },
};
const draft = (f: DraftFinding) =>
  defaultFields({
    type: "incident",
    findings: [f],
    mapping: DEFAULT_SEVERITY_MAPPING,
    defaults: { assignmentGroup: null, callerId: null },
    now: new Date("2026-03-01T00:00:00Z"),
  });

describe("ticket text of multicloud findings", () => {
  test("an AWS finding names the account, region and ARN, and its Azure-side id as the Defender resource", () => {
    const { description } = draft(aws);
    expect(description).toContain(
      "- i-0abc (aws/ec2/instance)\n  AWS account 123456789012 · Region us-east-1\n  ARN: arn:aws:ec2:us-east-1:123456789012:instance/i-0abc\n  Defender resource: " +
        ENTITY,
    );
  });

  test("a GCP finding names the project, location and full resource name", () => {
    const { description } = draft({
      ...aws,
      resourceName: "etl-1",
      resourceType: "gcp/compute/instances",
      cloud: {
        source: "Gcp",
        accountId: "contoso-prod",
        region: "europe-west1-b",
        nativeResourceId: "//compute.googleapis.com/projects/contoso-prod/zones/europe-west1-b/instances/etl-1",
      },
    });
    expect(description).toContain(
      "  GCP project contoso-prod · Location europe-west1-b\n  Resource name: //compute.googleapis.com/projects/contoso-prod/zones/europe-west1-b/instances/etl-1",
    );
  });

  test("an Azure finding keeps its plain resource line", () => {
    const { description } = draft({
      ...aws,
      resourceId: "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1",
      cloud: null,
    });
    expect(description).toContain("  Resource: /subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1");
    expect(description).not.toContain("AWS account");
  });
});
