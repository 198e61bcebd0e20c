// The recommendation catalog: the curated real recommendations first, then recommendations derived
// from common Azure Policy patterns ("<family> should use private link", …) to reach the large seed's
// 300 types. The catalog does not depend on the seed (Defender's catalog is global); sizes take a prefix.
import { createRng, stableUuid } from "../common/rng";
import { SECURITY_CONTROLS, type SecurityControlId } from "./controls";
import { type CatalogEntry, CURATED_CATALOG } from "./catalog-curated";
import { MORE_CURATED_CATALOG } from "./catalog-curated-more";
import { FAMILY_NAMES, RT } from "./resource-types";
import type { RecommendationType } from "./types";

type Pattern = {
  phrase: string;
  /** Resource types the pattern makes sense for ("*" = every family). */
  families: string[] | "*";
  severity: RecommendationType["severity"];
  control: SecurityControlId;
  threats: string[];
  effort: RecommendationType["implementationEffort"];
  why: string;
  fix: string;
};

/** The resource types that take a private endpoint (and so can turn public network access off). */
const PRIVATE_ENDPOINT_FAMILIES = [
  RT.storage,
  RT.sqlServer,
  RT.keyVault,
  RT.cosmos,
  RT.acr,
  RT.postgres,
  RT.redis,
  RT.eventHub,
  RT.serviceBus,
  RT.cognitive,
  RT.web,
];

const PATTERNS: Pattern[] = [
  {
    phrase: "use private link",
    families: PRIVATE_ENDPOINT_FAMILIES,
    severity: "Medium",
    control: "networkAccess",
    threats: ["dataExfiltration"],
    effort: "Moderate",
    why: "Private endpoints map the resource to your virtual network so its traffic never crosses the public internet.",
    fix: "1. Create a private endpoint for the resource in the application's virtual network.\n2. Update DNS to the private zone.\n3. Disable public network access.",
  },
  {
    phrase: "disable public network access",
    families: PRIVATE_ENDPOINT_FAMILIES,
    severity: "Medium",
    control: "networkAccess",
    threats: ["dataExfiltration"],
    effort: "Moderate",
    why: "Disabling public network access ensures the resource is reachable only from private endpoints.",
    fix: "1. Make sure clients reach the resource through private endpoints.\n2. In Networking, set Public network access to Disabled.",
  },
  {
    phrase: "use customer-managed keys to encrypt data at rest",
    families: [RT.storage, RT.sqlServer, RT.cosmos, RT.acr, RT.postgres, RT.eventHub, RT.serviceBus, RT.cognitive, RT.aks, RT.vm, RT.vmss],
    severity: "Low",
    control: "encryptionAtRest",
    threats: ["dataExfiltration"],
    effort: "High",
    why: "Customer-managed keys give you control over the key lifecycle, including rotation and revocation, typically required by compliance standards.",
    fix: "1. Create a key in Azure Key Vault (purge protection on).\n2. Give the resource's managed identity access to the key.\n3. Switch the resource's encryption to the customer-managed key.",
  },
  {
    phrase: "have resource logs enabled",
    families: [
      RT.keyVault,
      RT.web,
      RT.eventHub,
      RT.serviceBus,
      RT.cosmos,
      RT.redis,
      RT.acr,
      RT.cognitive,
      RT.aks,
      RT.appGateway,
      RT.storage,
      RT.sqlDb,
      RT.postgres,
    ],
    severity: "Low",
    control: "auditing",
    threats: ["maliciousInsider"],
    effort: "Low",
    why: "Resource logs let you recreate activity trails for investigation when a security incident occurs.",
    fix: "1. Open Diagnostic settings.\n2. Send the audit and operational log categories to a Log Analytics workspace or storage account.",
  },
  {
    phrase: "have local authentication methods disabled",
    families: [RT.storage, RT.cosmos, RT.acr, RT.eventHub, RT.serviceBus, RT.cognitive, RT.aks, RT.web, RT.redis],
    severity: "Medium",
    control: "accessAndPermissions",
    threats: ["accountBreach"],
    effort: "Moderate",
    why: "Disabling local authentication (keys, SAS, local users) makes Microsoft Entra ID the only way in.",
    fix: "1. Move clients to Microsoft Entra ID authentication.\n2. Disable local authentication on the resource.",
  },
  {
    phrase: "use a managed identity",
    families: [RT.web, RT.aks, RT.cognitive, RT.vm, RT.vmss, RT.eventHub, RT.serviceBus],
    severity: "Medium",
    control: "accessAndPermissions",
    threats: ["accountBreach"],
    effort: "Moderate",
    why: "Managed identities remove the need to store credentials in configuration or code.",
    fix: "1. Turn on the system-assigned managed identity.\n2. Grant it the roles it needs and remove stored credentials.",
  },
  {
    phrase: "enforce a minimum TLS version of 1.2",
    families: [RT.storage, RT.web, RT.sqlServer, RT.redis, RT.cosmos, RT.eventHub, RT.serviceBus, RT.postgres, RT.appGateway],
    severity: "Medium",
    control: "encryptionInTransit",
    threats: ["dataExfiltration"],
    effort: "Low",
    why: "Older TLS versions have known weaknesses; requiring TLS 1.2 or later protects data in transit.",
    fix: "1. Check that clients support TLS 1.2.\n2. Set the minimum TLS version to 1.2 in the resource's configuration.",
  },
  {
    phrase: "have infrastructure encryption enabled",
    families: [RT.storage, RT.postgres, RT.eventHub, RT.serviceBus],
    severity: "Low",
    control: "encryptionAtRest",
    threats: ["dataExfiltration"],
    effort: "High",
    why: "Infrastructure encryption adds a second layer of encryption with a different algorithm and key.",
    fix: "1. Infrastructure encryption is set at creation: create a new resource with it enabled and migrate the data.",
  },
  {
    phrase: "have Microsoft Defender enabled",
    families: [RT.storage, RT.sqlServer, RT.keyVault, RT.aks, RT.acr, RT.cosmos, RT.postgres, RT.web, RT.vm],
    severity: "High",
    control: "advancedThreatProtection",
    threats: ["missingCoverage", "dataExfiltration"],
    effort: "Low",
    why: "Microsoft Defender plans detect unusual and potentially harmful attempts to access or exploit the resource.",
    fix: "1. Open Defender for Cloud > Environment settings > the subscription.\n2. Turn on the plan that covers this resource type.",
  },
  {
    phrase: "restrict network access using firewall rules",
    families: [RT.storage, RT.sqlServer, RT.keyVault, RT.cosmos, RT.postgres, RT.redis, RT.eventHub, RT.serviceBus, RT.cognitive, RT.acr],
    severity: "Medium",
    control: "networkAccess",
    threats: ["dataExfiltration"],
    effort: "Low",
    why: "Without firewall rules the resource accepts connections from any network.",
    fix: "1. Open Networking.\n2. Allow only selected virtual networks and IP ranges.",
  },
  {
    phrase: "have zone redundancy enabled",
    families: [RT.storage, RT.sqlDb, RT.aks, RT.appGateway, RT.eventHub, RT.serviceBus, RT.redis, RT.cosmos, RT.acr, RT.postgres, RT.vmss],
    severity: "Low",
    control: "bestPractices",
    threats: ["dataSpillage"],
    effort: "Moderate",
    why: "Zone redundancy keeps the resource available when one availability zone fails.",
    fix: "1. Enable zone redundancy (some services require recreating the resource).",
  },
  {
    phrase: "have geo-redundant backup enabled",
    families: [RT.sqlDb, RT.postgres, RT.cosmos, RT.storage],
    severity: "Low",
    control: "bestPractices",
    threats: ["dataSpillage"],
    effort: "Moderate",
    why: "Geo-redundant backups allow restoring to another region after a regional outage.",
    fix: "1. Enable geo-redundant backup storage for the resource.",
  },
  {
    phrase: "use Microsoft Entra ID authentication only",
    families: [RT.sqlServer, RT.sqlDb, RT.postgres],
    severity: "Medium",
    control: "accessAndPermissions",
    threats: ["accountBreach"],
    effort: "Moderate",
    why: "Entra-only authentication centralizes identity management and enables conditional access and MFA.",
    fix: "1. Configure an Entra administrator.\n2. Enable Entra-only authentication and remove local accounts.",
  },
  {
    phrase: "run a supported version",
    families: [RT.aks, RT.web, RT.postgres, RT.vm],
    severity: "Medium",
    control: "securityConfigurations",
    threats: ["threatResistance"],
    effort: "Moderate",
    why: "Versions out of support no longer receive security fixes.",
    fix: "1. Check the current version in the resource's Overview.\n2. Upgrade to a supported version during a maintenance window.",
  },
  {
    phrase: "have diagnostic settings sending to a Log Analytics workspace",
    families: "*",
    severity: "Low",
    control: "auditing",
    threats: ["maliciousInsider"],
    effort: "Low",
    why: "Centralized logs let security operations correlate activity across resources.",
    fix: "1. Open Diagnostic settings and add a setting that sends all logs to the central workspace.",
  },
  {
    phrase: "have a resource lock configured",
    families: "*",
    severity: "Low",
    control: "bestPractices",
    threats: ["dataSpillage"],
    effort: "Low",
    why: "A CanNotDelete lock protects critical resources from accidental or malicious deletion.",
    fix: "1. Open Locks.\n2. Add a CanNotDelete lock.",
  },
  {
    phrase: "have double encryption enabled",
    families: [RT.eventHub, RT.cognitive, RT.postgres],
    severity: "Low",
    control: "encryptionAtRest",
    threats: ["dataExfiltration"],
    effort: "High",
    why: "Double encryption protects data at rest with two independent keys.",
    fix: "1. Enable double encryption (usually at creation) and migrate data if needed.",
  },
  {
    phrase: "have allowed-origin (CORS) rules restricted",
    families: [RT.web, RT.storage, RT.cosmos, RT.cognitive],
    severity: "Low",
    control: "securityConfigurations",
    threats: ["dataExfiltration"],
    effort: "Low",
    why: "Permissive CORS rules let any web origin call the resource from a browser.",
    fix: "1. Replace '*' with the exact origins that need access.",
  },
  {
    phrase: "have auditing enabled",
    families: [RT.sqlDb, RT.postgres, RT.cosmos, RT.aks],
    severity: "Low",
    control: "auditing",
    threats: ["maliciousInsider"],
    effort: "Low",
    why: "Audit logs record who did what, which investigations and several compliance standards require.",
    fix: "1. Enable auditing and send it to the central Log Analytics workspace.",
  },
  {
    phrase: "have vulnerability assessment configured",
    families: [RT.sqlServer, RT.acr, RT.vm, RT.postgres],
    severity: "Medium",
    control: "vulnerabilities",
    threats: ["dataExfiltration"],
    effort: "Low",
    why: "Periodic vulnerability scans find misconfigurations and missing patches before attackers do.",
    fix: "1. Enable the vulnerability assessment solution included with Microsoft Defender for the resource type.",
  },
  {
    phrase: "use role-based access control for data-plane access",
    families: [RT.keyVault, RT.cosmos, RT.storage, RT.eventHub, RT.serviceBus, RT.cognitive],
    severity: "Medium",
    control: "accessAndPermissions",
    threats: ["accountBreach", "elevationOfPrivilege"],
    effort: "Moderate",
    why: "Azure RBAC gives granular, auditable data-plane permissions instead of access policies or shared keys.",
    fix: "1. Assign data-plane roles to the identities that need them.\n2. Switch the resource's permission model to Azure RBAC.",
  },
  {
    phrase: "not allow anonymous access",
    families: [RT.storage, RT.acr, RT.cosmos, RT.redis, RT.web, RT.cognitive],
    severity: "High",
    control: "accessAndPermissions",
    threats: ["dataExfiltration", "dataSpillage"],
    effort: "Low",
    why: "Anonymous access lets anyone who finds the endpoint read data without authenticating.",
    fix: "1. Disable anonymous (unauthenticated) access in the resource's configuration.",
  },
  {
    phrase: "have Secure Boot and vTPM enabled",
    families: [RT.vm, RT.vmss, RT.aks],
    severity: "Low",
    control: "bestPractices",
    threats: ["threatResistance"],
    effort: "Moderate",
    why: "Trusted launch protects against boot kits, rootkits and kernel-level malware.",
    fix: "1. Redeploy with the Trusted launch security type and enable Secure Boot and vTPM.",
  },
  {
    phrase: "have encryption at host enabled",
    families: [RT.vm, RT.vmss, RT.aks],
    severity: "Medium",
    control: "encryptionAtRest",
    threats: ["dataExfiltration"],
    effort: "Moderate",
    why: "Encryption at host encrypts temp disks and caches end to end.",
    fix: "1. Register the EncryptionAtHost feature.\n2. Stop the resource and enable encryption at host.",
  },
  {
    phrase: "have the latest security patches applied",
    families: [RT.vm, RT.vmss, RT.aks, RT.web, RT.postgres],
    severity: "High",
    control: "systemUpdates",
    threats: ["threatResistance", "elevationOfPrivilege"],
    effort: "Low",
    why: "Missing patches expose known vulnerabilities that attackers scan for.",
    fix: "1. Schedule a maintenance window.\n2. Apply the pending security patches and restart if required.",
  },
  {
    phrase: "have flow logs enabled",
    families: [RT.nsg, RT.vnet],
    severity: "Low",
    control: "auditing",
    threats: ["maliciousInsider"],
    effort: "Low",
    why: "Flow logs record IP traffic so investigations can see who talked to what.",
    fix: "1. In Network Watcher, enable flow logs to a storage account and, optionally, traffic analytics.",
  },
  {
    phrase: "have soft delete enabled",
    families: [RT.storage, RT.acr, RT.cosmos],
    severity: "Medium",
    control: "bestPractices",
    threats: ["dataSpillage"],
    effort: "Low",
    why: "Soft delete lets you recover data deleted by mistake or by an attacker.",
    fix: "1. Enable soft delete with a retention of at least 7 days.",
  },
  {
    phrase: "have immutable backups configured",
    families: [RT.storage, RT.sqlDb, RT.vm, RT.postgres, RT.cosmos],
    severity: "Medium",
    control: "bestPractices",
    threats: ["dataSpillage"],
    effort: "Moderate",
    why: "Immutable backups cannot be altered or deleted by ransomware or a compromised administrator.",
    fix: "1. Enable immutability on the backup vault and lock it after testing.",
  },
  {
    phrase: "have alerts configured for security-relevant events",
    families: "*",
    severity: "Low",
    control: "auditing",
    threats: ["maliciousInsider", "missingCoverage"],
    effort: "Low",
    why: "Alert rules tell operations about configuration changes and suspicious activity as they happen.",
    fix: "1. Create activity log alerts for delete and security-relevant write operations on the resource.",
  },
  {
    phrase: "have automatic updates enabled",
    families: [RT.vm, RT.vmss, RT.aks, RT.web],
    severity: "Medium",
    control: "systemUpdates",
    threats: ["threatResistance"],
    effort: "Low",
    why: "Automatic updates keep the platform patched without manual work.",
    fix: "1. Enable the automatic upgrade channel or patch orchestration for the resource.",
  },
  {
    phrase: "restrict outbound network access",
    families: [RT.aks, RT.web, RT.vm, RT.vmss, RT.cognitive, RT.acr],
    severity: "Medium",
    control: "networkAccess",
    threats: ["dataExfiltration"],
    effort: "Moderate",
    why: "Unrestricted egress lets compromised workloads exfiltrate data or reach command-and-control servers.",
    fix: "1. Route egress through Azure Firewall or a NAT gateway with an allowlist.\n2. Deny all other outbound traffic.",
  },
];

const FAMILY_CATEGORY: Record<string, RecommendationType["categories"][number]> = {
  [RT.vm]: "Compute",
  [RT.vmss]: "Compute",
  [RT.aks]: "Container",
  [RT.acr]: "Container",
  [RT.web]: "AppServices",
  [RT.vnet]: "Networking",
  [RT.appGateway]: "Networking",
};

function derived(): CatalogEntry[] {
  const taken = new Set([...CURATED_CATALOG, ...MORE_CURATED_CATALOG].map((e) => e.displayName.toLowerCase()));
  const out: CatalogEntry[] = [];
  for (const pattern of PATTERNS) {
    for (const [type, family] of Object.entries(FAMILY_NAMES)) {
      if (pattern.families !== "*" && !pattern.families.includes(type)) continue;
      const displayName = `${family} should ${pattern.phrase}`;
      if (taken.has(displayName.toLowerCase())) continue;
      out.push({
        displayName,
        severity: pattern.severity,
        categories: [FAMILY_CATEGORY[type] ?? "Data"],
        resourceTypes: [type],
        control: pattern.control,
        description: `${pattern.why} This recommendation applies to ${family.toLowerCase()}.`,
        remediationDescription: pattern.fix,
        threats: pattern.threats,
        userImpact: pattern.severity === "High" ? "Moderate" : "Low",
        implementationEffort: pattern.effort,
      });
    }
  }
  // A fixed shuffle spreads patterns and families over the prefix that mid-sized seeds take.
  return createRng("catalog-order").shuffle(out);
}

export type CatalogRecommendation = RecommendationType & { securityControl: string };

// Lifecycle facts of real recommendations: the VMSS endpoint-protection one was retired (its metadata in
// Microsoft's example carries plannedDeprecationDate) and the EDR recommendation started in preview.
const LIFECYCLE: Record<string, { preview?: boolean; plannedDeprecationDate?: string }> = {
  "Install endpoint protection solution on virtual machine scale sets": { plannedDeprecationDate: "03/2022" },
  "EDR solution should be installed on Virtual Machines": { preview: true },
};

function toRecommendation(entry: CatalogEntry, index: number): CatalogRecommendation {
  const key = entry.key ?? stableUuid("recommendation", entry.displayName);
  const { control, key: _key, ...rest } = entry;
  return {
    ...rest,
    key,
    policyDefinitionId: `/providers/Microsoft.Authorization/policyDefinitions/${stableUuid("policy", entry.displayName)}`,
    assessmentType: "BuiltIn",
    // Derived entries past the curated ones: every ninth is a preview recommendation, as in the portal.
    preview: LIFECYCLE[entry.displayName]?.preview ?? (index >= 74 && index % 9 === 0),
    ...(LIFECYCLE[entry.displayName]?.plannedDeprecationDate
      ? { plannedDeprecationDate: LIFECYCLE[entry.displayName]!.plannedDeprecationDate }
      : {}),
    securityControl: SECURITY_CONTROLS[control].key,
  };
}

let cached: CatalogRecommendation[] | undefined;

/** The full catalog (curated first). */
export function recommendationCatalog(): CatalogRecommendation[] {
  cached ??= [...CURATED_CATALOG, ...MORE_CURATED_CATALOG, ...derived()].map(toRecommendation);
  return cached;
}
