// Multicloud findings: Defender for Cloud assesses AWS accounts and GCP projects through security connectors
// (Microsoft.Security/securityConnectors, one per account or project, in an Azure subscription and resource
// group). Each AWS/GCP resource has an Azure-side id under its connector,
//   /subscriptions/{sub}/resourcegroups/{rg}/providers/Microsoft.Security/securityconnectors/{connector}/securityentitydata/{entity}
// with the entity named "<cloud>-<service>-<type>-<native id>-<region>" as in Microsoft's "Manage AWS
// assessments and standards" article (e.g. aws-ec2-elastic-ip-eipalloc-…-eu-west-2), and its native id
// (ARN, or GCP full resource name) kept next to it. This module adds one AWS and one GCP connector to the
// demo world with a handful of recommendations from Defender's AWS and GCP catalogs and their assessments.
import { createRng, stableHex, stableUuid } from "../common/rng";
import type { CatalogRecommendation } from "./catalog";
import { SECURITY_CONTROLS } from "./controls";
import type { Assessment, CloudResourceDetails, Resource, World } from "./types";

const DAY = 24 * 3600 * 1000;
/** AWS documentation's example account id; a GCP project of our own naming. */
export const AWS_ACCOUNT = "123456789012";
export const GCP_PROJECT = "contoso-analytics-prod";
export const GCP_PROJECT_NUMBER = "804121157231";
const RESOURCE_GROUP = "rg-multicloud-connectors";

type MulticloudRec = Omit<CatalogRecommendation, "key" | "policyDefinitionId" | "assessmentType" | "preview" | "securityControl"> & {
  control: keyof typeof SECURITY_CONTROLS;
  cloud: "Aws" | "Gcp";
  applies: string;
};

// Recommendations from Defender's AWS and GCP reference lists (learn.microsoft.com/azure/defender-for-cloud/
// recommendations-reference-aws and -gcp); `applies` is the native resource kind each one assesses.
const RECOMMENDATIONS: MulticloudRec[] = [
  {
    cloud: "Aws",
    applies: "s3/bucket",
    displayName: "S3 Block Public Access setting should be enabled",
    severity: "Medium",
    control: "networkAccess",
    categories: ["Data"],
    threats: ["dataExfiltration"],
    userImpact: "Low",
    implementationEffort: "Low",
    resourceTypes: ["aws.s3.bucket"],
    description:
      "Enabling the S3 Block Public Access setting prevents buckets and their objects from being made public through access control lists or bucket policies.",
    remediationDescription:
      "1. Open the Amazon S3 console.\n2. Select the bucket, then Permissions > Block public access.\n3. Turn on Block all public access and save.",
  },
  {
    cloud: "Aws",
    applies: "ec2/instance",
    displayName: "EC2 instances should be managed by AWS Systems Manager",
    severity: "Medium",
    control: "securityConfigurations",
    categories: ["Compute"],
    threats: ["threatResistance"],
    userImpact: "Low",
    implementationEffort: "Moderate",
    resourceTypes: ["aws.ec2.instance"],
    description:
      "Systems Manager lets you patch, configure and inventory EC2 instances at scale; unmanaged instances drift from your baselines.",
    remediationDescription:
      "1. Attach an instance profile with the AmazonSSMManagedInstanceCore policy.\n2. Make sure the SSM Agent runs on the instance.",
  },
  {
    cloud: "Aws",
    applies: "iam/root",
    displayName: "IAM root user access key should not exist",
    severity: "High",
    control: "accessAndPermissions",
    categories: ["IdentityAndAccess"],
    threats: ["accountBreach"],
    userImpact: "Low",
    implementationEffort: "Low",
    resourceTypes: ["aws.iam.root"],
    description: "The root user has unrestricted access to every resource of the AWS account; access keys for it should not exist.",
    remediationDescription: "1. Sign in as the root user.\n2. Open Security credentials and delete the access keys.",
  },
  {
    cloud: "Gcp",
    applies: "storage/buckets",
    displayName: "Ensure that Cloud Storage bucket is not anonymously or publicly accessible",
    severity: "High",
    control: "networkAccess",
    categories: ["Data"],
    threats: ["dataExfiltration"],
    userImpact: "Moderate",
    implementationEffort: "Low",
    resourceTypes: ["gcp.storage.buckets"],
    description: "Allowing allUsers or allAuthenticatedUsers access to a bucket exposes its data to anyone on the internet.",
    remediationDescription:
      "1. Open Cloud Storage > Buckets.\n2. Select the bucket, then Permissions.\n3. Remove allUsers and allAuthenticatedUsers.",
  },
  {
    cloud: "Gcp",
    applies: "compute/instances",
    displayName: "Ensure 'Block Project-wide SSH keys' is enabled for VM instances",
    severity: "Medium",
    control: "managementPorts",
    categories: ["Compute"],
    threats: ["accountBreach"],
    userImpact: "Low",
    implementationEffort: "Low",
    resourceTypes: ["gcp.compute.instances"],
    description: "Project-wide SSH keys let anyone holding them log on to every instance of the project.",
    remediationDescription:
      "1. Open Compute Engine > VM instances and edit the instance.\n2. Under SSH Keys, check Block project-wide SSH keys and save.",
  },
];

type Native = { kind: string; name: string; region: string; nativeResourceId: string; entity: string };

function awsResources(): Native[] {
  const out: Native[] = [];
  for (const [name, region] of [
    ["contoso-payments-logs", "us-east-1"],
    ["contoso-web-assets", "us-east-1"],
    ["contoso-backups-eu", "eu-west-1"],
  ] as const) {
    out.push({ kind: "s3/bucket", name, region, nativeResourceId: `arn:aws:s3:::${name}`, entity: `aws-s3-bucket-${name}-${region}` });
  }
  for (const [id, region] of [
    ["i-0a1b2c3d4e5f60718", "us-east-1"],
    ["i-0f9e8d7c6b5a40392", "us-east-1"],
    ["i-07c3e5a1b9d2f4068", "eu-west-1"],
  ] as const) {
    out.push({
      kind: "ec2/instance",
      name: id,
      region,
      nativeResourceId: `arn:aws:ec2:${region}:${AWS_ACCOUNT}:instance/${id}`,
      entity: `aws-ec2-instance-${id}-${region}`,
    });
  }
  out.push({
    kind: "iam/root",
    name: AWS_ACCOUNT,
    region: "global",
    nativeResourceId: `arn:aws:iam::${AWS_ACCOUNT}:root`,
    entity: `aws-iam-account-${AWS_ACCOUNT}-global`,
  });
  return out;
}

function gcpResources(): Native[] {
  const out: Native[] = [];
  for (const [name, region] of [
    ["contoso-analytics-exports", "europe-west1"],
    ["contoso-ml-datasets", "us-central1"],
  ] as const) {
    out.push({
      kind: "storage/buckets",
      name,
      region,
      nativeResourceId: `//storage.googleapis.com/projects/_/buckets/${name}`,
      entity: `gcp-storage-buckets-${name}-${region}`,
    });
  }
  for (const [name, zone] of [
    ["etl-worker-01", "europe-west1-b"],
    ["etl-worker-02", "europe-west1-c"],
    ["jupyter-hub", "us-central1-a"],
  ] as const) {
    out.push({
      kind: "compute/instances",
      name,
      region: zone,
      nativeResourceId: `//compute.googleapis.com/projects/${GCP_PROJECT}/zones/${zone}/instances/${name}`,
      entity: `gcp-compute-instances-${name}-${zone}`,
    });
  }
  return out;
}

/** The connector id ("resourcegroups" lower-cased as Defender writes it in entity ids). */
export function connectorIdOf(subscriptionId: string, connectorName: string): string {
  return `/subscriptions/${subscriptionId}/resourcegroups/${RESOURCE_GROUP}/providers/Microsoft.Security/securityconnectors/${connectorName}`;
}

export function multicloudRecommendations(): CatalogRecommendation[] {
  return RECOMMENDATIONS.map(({ control, cloud: _cloud, applies: _applies, ...r }) => ({
    ...r,
    key: stableUuid("recommendation", r.displayName),
    policyDefinitionId: "",
    assessmentType: "BuiltIn",
    preview: false,
    securityControl: SECURITY_CONTROLS[control].key,
  }));
}

/** Adds the connectors' resources, recommendations and assessments to the world (the demo size). */
export function addMulticloud(world: World, anchor: number): void {
  const sub = world.subscriptions[0];
  if (!sub) return;
  const rng = createRng(`multicloud/${world.seed}`);
  const recs = multicloudRecommendations();
  const connectors = {
    Aws: { name: stableUuid("connector", world.seed, "aws"), hierarchyId: AWS_ACCOUNT, accountId: AWS_ACCOUNT, natives: awsResources() },
    Gcp: {
      name: stableUuid("connector", world.seed, "gcp"),
      hierarchyId: GCP_PROJECT_NUMBER,
      accountId: GCP_PROJECT,
      natives: gcpResources(),
    },
  } as const;
  world.recommendations.push(...recs);
  for (const source of ["Aws", "Gcp"] as const) {
    const connector = connectors[source];
    for (const native of connector.natives) {
      const [provider, type] = native.kind.split("/") as [string, string];
      const cloud: CloudResourceDetails = {
        source,
        connectorName: connector.name,
        hierarchyId: connector.hierarchyId,
        accountId: connector.accountId,
        region: native.region,
        nativeResourceId: native.nativeResourceId,
        resourceProvider: provider,
        resourceType: type,
      };
      const id = `${connectorIdOf(sub.subscriptionId, connector.name)}/securityentitydata/${native.entity}`;
      const resource: Resource = {
        id,
        subscriptionId: sub.subscriptionId,
        resourceGroup: RESOURCE_GROUP,
        type: `${source.toLowerCase()}.${provider}.${type}`,
        name: native.name,
        location: native.region,
        tags: {},
        ciSysId: stableHex(32, "cmdb_ci", world.seed, id),
        cloud,
      };
      world.resources.push(resource);
      RECOMMENDATIONS.forEach((def, i) => {
        if (def.cloud !== source || def.applies !== native.kind) return;
        const rec = recs[i]!;
        const status = rng.weighted([
          ["Unhealthy", 70],
          ["Healthy", 30],
        ] as const);
        const first = anchor - rng.int(5, 200) * DAY;
        const assessment: Assessment = {
          id: `${id}/providers/Microsoft.Security/assessments/${rec.key}`,
          key: rec.key,
          resourceId: id,
          subscriptionId: sub.subscriptionId,
          status,
          firstEvaluationDate: new Date(first).toISOString(),
          statusChangeDate: new Date(first + Math.floor(rng.next() * (anchor - first))).toISOString(),
        };
        world.assessments.push(assessment);
      });
    }
  }
}
