// Links to a resource's own blade in the Azure portal: https://portal.azure.com/#@{tenant}/resource{resourceId}
// ("#@{tenant}" makes the portal switch to the resource's directory first). Sovereign clouds have their
// own portal hosts (learn.microsoft.com/azure/azure-government/documentation-government-get-started-connect-with-portal,
// learn.microsoft.com/azure/china/resources-developer-guide); the tenant's ARM endpoint tells which cloud it is in.

const PORTALS: Array<{ arm: RegExp; portal: string }> = [
  { arm: /\.usgovcloudapi\.net$/i, portal: "https://portal.azure.us" },
  { arm: /\.chinacloudapi\.cn$/i, portal: "https://portal.azure.cn" },
];

export function portalHostFor(armEndpoint: string | null | undefined): string {
  let host = "";
  try {
    host = armEndpoint ? new URL(armEndpoint).hostname : "";
  } catch {
    host = "";
  }
  return PORTALS.find((p) => p.arm.test(host))?.portal ?? "https://portal.azure.com";
}

export function resourcePortalUrl(resourceId: string, directoryId: string, armEndpoint?: string | null): string {
  // An AWS or GCP resource's Azure-side id (…/securityConnectors/{name}/securityEntityData/{entity}) has no
  // blade of its own: its security connector (the AWS account or GCP project in Environment settings) has.
  const connector = /^(.*\/providers\/microsoft\.security\/securityconnectors\/[^/]+)\/securityentitydata\//i.exec(resourceId)?.[1];
  const target = connector ?? resourceId;
  const id = target.startsWith("/") ? target : `/${target}`;
  return `${portalHostFor(armEndpoint)}/#@${encodeURIComponent(directoryId)}/resource${id}`;
}
