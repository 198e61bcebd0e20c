// The Azure clouds a tenant connection can live in, and what follows from each: the Entra authority host,
// the Resource Manager endpoint (Resource Graph is an ARM resource provider, so it shares host and token)
// and the token audience (scope `${audience}/.default`). Shared by forms, zod schemas and the server, so it
// imports nothing server-only. Sources (docs/OPERATIONS.md, "Azure clouds"):
// https://learn.microsoft.com/entra/identity-platform/authentication-national-cloud and the Azure SDK's
// cloud tables (AzureAuthorityHosts, getArmEndpoint).

export const AZURE_CLOUDS = ["public", "usgov", "custom"] as const;
export type TAzureCloud = (typeof AZURE_CLOUDS)[number];

export type CloudEndpoints = { authorityHost: string; armEndpoint: string; armAudience: string };

export const CLOUD_ENDPOINTS: Record<Exclude<TAzureCloud, "custom">, CloudEndpoints & { label: string }> = {
  public: {
    label: "Azure (public)",
    authorityHost: "https://login.microsoftonline.com",
    armEndpoint: "https://management.azure.com",
    armAudience: "https://management.azure.com",
  },
  usgov: {
    label: "Azure US Government",
    authorityHost: "https://login.microsoftonline.us",
    armEndpoint: "https://management.usgovcloudapi.net",
    armAudience: "https://management.usgovcloudapi.net",
  },
};

export const CLOUD_LABELS: Record<TAzureCloud, string> = {
  public: CLOUD_ENDPOINTS.public.label,
  usgov: CLOUD_ENDPOINTS.usgov.label,
  custom: "Custom endpoints",
};

/**
 * Why Azure operated by 21Vianet (China) is refused: Defender for Cloud retires there on 2026-08-18
 * (https://learn.microsoft.com/azure/defender-for-cloud/support-matrix-defender-for-cloud, footnote 3),
 * and governance is not available there at all.
 */
export const CHINA_CLOUD_REFUSAL =
  "Azure operated by 21Vianet (China) is not supported: Microsoft Defender for Cloud retires in that cloud on 2026-08-18 and its governance API is not available there.";

/** Host names of Azure operated by 21Vianet (authority and Resource Manager). */
const CHINA_HOSTS = /(^|\.)(chinacloudapi\.cn|microsoftonline\.cn|azure\.cn)$/i;

export function isChinaCloudUrl(url: string): boolean {
  try {
    return CHINA_HOSTS.test(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** The OAuth scope for Resource Manager (and Resource Graph) calls of a cloud audience. */
export function armScopeOf(audience: string): string {
  return `${audience.replace(/\/+$/, "")}/.default`;
}

/** The cloud whose well-known endpoints these are, or "custom". */
export function cloudOfEndpoints(e: Pick<CloudEndpoints, "authorityHost" | "armEndpoint">): TAzureCloud {
  for (const cloud of ["public", "usgov"] as const) {
    const known = CLOUD_ENDPOINTS[cloud];
    if (sameOrigin(known.authorityHost, e.authorityHost) && sameOrigin(known.armEndpoint, e.armEndpoint)) return cloud;
  }
  return "custom";
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}
