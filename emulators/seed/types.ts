// The seeded "world" shared by the three emulators: one Entra tenant, its Azure subscriptions and
// resources, Defender's recommendation catalog and assessments, and the people and groups that also
// exist in ServiceNow. Generated deterministically from (seed, size) by emulators/seed/world.ts.

export type SeedSize = "small" | "demo" | "large" | "estate";

export type Person = {
  /** Entra object id (GUID). */
  oid: string;
  /** userPrincipalName and e-mail, e.g. "ada.admin@contoso.example". */
  email: string;
  userName: string;
  displayName: string;
  firstName: string;
  lastName: string;
  /** Dashboard app role in Entra (null = signed in without a role). Only demo personas have one. */
  appRole: "Admin" | "Analyst" | "Manager" | null;
  /** ServiceNow sys_id of the matching sys_user (32 lowercase hex). */
  snSysId: string;
  title: string;
  /** Names of the ServiceNow assignment groups this person belongs to. */
  groups: string[];
};

export type AssignmentGroup = {
  snSysId: string;
  name: string;
  description: string;
  managerEmail: string;
};

export type Subscription = {
  subscriptionId: string;
  displayName: string;
  state: "Enabled";
};

export type Resource = {
  /** Full ARM resource id. */
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  /** e.g. "Microsoft.Compute/virtualMachines". */
  type: string;
  name: string;
  location: string;
  tags: Record<string, string>;
  /** ServiceNow cmdb_ci sys_id whose object_id is this resource id. */
  ciSysId: string;
  /** AWS or GCP resources that Defender assesses through a security connector (emulators/seed/multicloud.ts). */
  cloud?: CloudResourceDetails;
};

export type CloudResourceDetails = {
  source: "Aws" | "Gcp";
  /** The security connector's name (a GUID) and the cloud's hierarchy id: AWS account id or GCP project number. */
  connectorName: string;
  hierarchyId: string;
  /** GCP project id (AWS: the account id again). */
  accountId: string;
  region: string;
  /** ARN or GCP full resource name. */
  nativeResourceId: string;
  /** As Defender reports them: e.g. "s3" / "bucket", "compute" / "instances". */
  resourceProvider: string;
  resourceType: string;
};

export type RecommendationType = {
  /** Assessment name (GUID). */
  key: string;
  displayName: string;
  severity: "High" | "Medium" | "Low";
  description: string;
  remediationDescription: string;
  categories: Array<"Compute" | "Networking" | "Data" | "IdentityAndAccess" | "IoT" | "AppServices" | "Container">;
  threats: string[];
  userImpact: "Low" | "Moderate" | "High";
  implementationEffort: "Low" | "Moderate" | "High";
  policyDefinitionId: string;
  assessmentType: "BuiltIn" | "CustomPolicy" | "CustomerManaged" | "VerifiedPartner";
  preview: boolean;
  /** Resource types this recommendation applies to. */
  resourceTypes: string[];
  /** Secure score control (GUID name) this recommendation counts toward. */
  securityControl?: string;
  /** "MM/YYYY" when Microsoft announced the recommendation's retirement. */
  plannedDeprecationDate?: string;
};

export type Assessment = {
  /** Full ARM id: {resourceId}/providers/Microsoft.Security/assessments/{key}. */
  id: string;
  key: string;
  resourceId: string;
  subscriptionId: string;
  status: "Healthy" | "Unhealthy" | "NotApplicable";
  cause?: string;
  description?: string;
  /** ISO timestamps. */
  firstEvaluationDate: string;
  statusChangeDate: string;
};

export type World = {
  seed: number;
  size: SeedSize;
  tenantId: string;
  /** Verified domain of the tenant, e.g. "contoso.example". */
  domain: string;
  /** ISO instant the seeded dates are relative to (firstEvaluationDate etc. lie before it). */
  anchor?: string;
  people: Person[];
  groups: AssignmentGroup[];
  subscriptions: Subscription[];
  resources: Resource[];
  recommendations: RecommendationType[];
  assessments: Assessment[];
};
