// Defender for Cloud's secure score controls. The names (GUIDs) and maximum scores of the first twelve
// are those in Microsoft's published secureScoreControls examples; the others are derived ids.
import { stableUuid } from "../common/rng";

export type SecurityControl = { key: string; displayName: string; maxScore: number };

/** What each control is about (shown with its definition). */
export const CONTROL_DESCRIPTIONS: Record<string, string> = {
  "Enable MFA": "Require multi-factor authentication for every account with permissions on your subscriptions.",
  "Secure management ports": "Close or protect remote management ports (RDP, SSH, WinRM) that brute-force attacks target.",
  "Remediate vulnerabilities": "Resolve the vulnerabilities that scanners find in machines, databases and container images.",
  "Apply system updates": "Install missing security and critical updates on machines and scale sets.",
  "Enable encryption at rest": "Encrypt disks, databases and storage with platform- or customer-managed keys.",
  "Encrypt data in transit": "Require TLS for every connection to your services.",
  "Manage access and permissions": "Grant least privilege and use Microsoft Entra identities instead of keys and local accounts.",
  "Remediate security configurations": "Fix operating system and platform configurations that weaken security.",
  "Restrict unauthorized network access": "Limit inbound and outbound network access to what workloads need.",
  "Apply adaptive application control": "Allow only known-safe applications to run on your machines.",
  "Enable endpoint protection": "Run endpoint detection and response on every machine.",
  "Protect applications against DDoS attacks": "Cover internet-facing applications with DDoS protection.",
  "Enable auditing and logging": "Collect the logs investigations need and keep them centrally.",
  "Enable Advanced Threat Protection": "Turn on the Microsoft Defender plans for your resource types.",
  "Implement security best practices": "Recommendations that improve posture without affecting the score.",
};

export const SECURITY_CONTROLS = {
  mfa: { key: "34a42fb3-e6db-409c-b56b-7b1db6b8aee0", displayName: "Enable MFA", maxScore: 10 },
  managementPorts: { key: stableUuid("control", "Secure management ports"), displayName: "Secure management ports", maxScore: 8 },
  vulnerabilities: { key: stableUuid("control", "Remediate vulnerabilities"), displayName: "Remediate vulnerabilities", maxScore: 6 },
  systemUpdates: { key: "61702b76-1fab-41f2-bcbc-50b7870dcf38", displayName: "Apply system updates", maxScore: 6 },
  encryptionAtRest: { key: "8fd574ec-43cf-426e-a439-a67cbaf2d564", displayName: "Enable encryption at rest", maxScore: 4 },
  encryptionInTransit: { key: "0e55495e-034f-4abc-8293-767229250176", displayName: "Encrypt data in transit", maxScore: 4 },
  accessAndPermissions: { key: "2d85f639-0bea-4a4a-b6c6-608952a1414a", displayName: "Manage access and permissions", maxScore: 4 },
  securityConfigurations: { key: "99fc8df2-e0f5-40f8-9415-a7f7ca948b5a", displayName: "Remediate security configurations", maxScore: 4 },
  networkAccess: { key: "f9d5432b-8f7b-45e9-b90c-e214a30f6a02", displayName: "Restrict unauthorized network access", maxScore: 4 },
  adaptiveApplicationControl: {
    key: "a000c66f-6da2-4f9d-826d-2364347d2588",
    displayName: "Apply adaptive application control",
    maxScore: 3,
  },
  endpointProtection: { key: "12136bd9-dc24-44f2-9587-7be3af6aac14", displayName: "Enable endpoint protection", maxScore: 2 },
  ddos: { key: "a9909064-42b4-4d34-8143-275477afe18b", displayName: "Protect applications against DDoS attacks", maxScore: 2 },
  auditing: { key: "27b24961-75ba-4fe4-8909-97286d5dd5ee", displayName: "Enable auditing and logging", maxScore: 1 },
  advancedThreatProtection: { key: "4db8d6cf-075b-4149-a813-da09ca2ae120", displayName: "Enable Advanced Threat Protection", maxScore: 0 },
  bestPractices: { key: "76763537-9feb-42d3-b4f4-78c01117be80", displayName: "Implement security best practices", maxScore: 0 },
} as const satisfies Record<string, SecurityControl>;

export type SecurityControlId = keyof typeof SECURITY_CONTROLS;

export const SECURITY_CONTROL_LIST: SecurityControl[] = Object.values(SECURITY_CONTROLS);
