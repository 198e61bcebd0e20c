// The cloud fields of a tenant connection after an update (pure, so unit tests reach it).
import { CLOUD_ENDPOINTS, type TAzureCloud } from "@/lib/azure/clouds";
import { AppError } from "@/lib/http/errors";
import { type TUpdateAzureTenant } from "@/lib/schemas/azure-tenants";

type Stored = { cloud: string; authorityHost: string; armEndpoint: string; armAudience: string };

/**
 * The cloud fields after an update: a changed cloud brings its own endpoints unless new ones are given
 * (or the stored ones were overrides, e.g. a proxy), and its audience; a custom cloud keeps or takes the
 * given audience (default: the ARM endpoint).
 */
export function resolveCloudUpdate(
  current: Stored,
  input: Pick<TUpdateAzureTenant, "cloud" | "authorityHost" | "armEndpoint" | "armAudience">,
): { cloud: TAzureCloud; authorityHost: string; armEndpoint: string; armAudience: string } {
  const cloud = input.cloud ?? (current.cloud as TAzureCloud);
  const was = current.cloud === "custom" ? null : CLOUD_ENDPOINTS[current.cloud as Exclude<TAzureCloud, "custom">];
  const next = cloud === "custom" ? null : CLOUD_ENDPOINTS[cloud];
  // Stored endpoints that were the old cloud's defaults move with the cloud; overrides stay.
  const follow = (stored: string, oldDefault: string | undefined, newDefault: string | undefined) =>
    newDefault !== undefined && (oldDefault === undefined || stored === oldDefault) && cloud !== current.cloud ? newDefault : stored;
  const authorityHost = input.authorityHost ?? follow(current.authorityHost, was?.authorityHost, next?.authorityHost);
  const armEndpoint = input.armEndpoint ?? follow(current.armEndpoint, was?.armEndpoint, next?.armEndpoint);
  if (cloud !== "custom" && input.armAudience !== undefined) {
    throw new AppError("VALIDATION", {
      message: `The token audience follows from the cloud (${next!.armAudience}); set it only with cloud "custom"`,
    });
  }
  const armAudience = next ? next.armAudience : (input.armAudience ?? (current.cloud === "custom" ? current.armAudience : armEndpoint));
  return { cloud, authorityHost, armEndpoint, armAudience };
}
