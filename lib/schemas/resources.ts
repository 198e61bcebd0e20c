// One Azure resource with everything Defender says about it (/resources/{resource id}).
import { z } from "zod";
import { type TFindingDto } from "@/lib/schemas/findings";

/** The catch-all segments of /api/resources/{...id} and /resources/{...id}: an ARM resource id without its leading slash. */
export const ZResourceParams = z.object({
  id: z
    .array(z.string().min(1).max(400))
    .min(2, "must be an Azure resource id such as subscriptions/{id}/resourceGroups/{group}/providers/{type}/{name}")
    .max(60, "is too long for an Azure resource id")
    .refine((s) => s[0]?.toLowerCase() === "subscriptions", { message: "must be an Azure resource id starting with subscriptions/" }),
});

export function resourceIdOfSegments(segments: string[]): string {
  return `/${segments.join("/")}`;
}

/** Our page for a resource (each ARM id segment encoded, the slashes kept readable). */
export function resourceHref(resourceId: string): string {
  return `/resources${resourceId.startsWith("/") ? "" : "/"}${resourceId.split("/").map(encodeURIComponent).join("/")}`;
}

export function resourceApiPath(resourceId: string): string {
  return `/api${resourceHref(resourceId)}`;
}

export const ZResourceCounts = z.object({
  High: z.number(),
  Medium: z.number(),
  Low: z.number(),
  healthy: z.number(),
  notApplicable: z.number(),
  withTicket: z.number(),
});

export type TResourceDetail = {
  resourceId: string;
  name: string;
  type: string;
  resourceGroup: string | null;
  subscriptionId: string;
  subscriptionName: string | null;
  tenant: { id: string; name: string; directoryId: string };
  /** The resource's own blade in the Azure portal of its cloud. */
  portalUrl: string;
  tags: Record<string, string>;
  /** Unhealthy findings by severity, plus healthy / not applicable and how many unhealthy ones have a ticket. */
  counts: z.infer<typeof ZResourceCounts>;
  /** Every current finding (Unhealthy first, by severity); removed ones last. */
  findings: TFindingDto[];
};

// The OpenAPI shape (findings described loosely: their DTO is documented on GET /api/findings).
export const ZResourceDetail = z.object({
  resourceId: z.string(),
  name: z.string(),
  type: z.string(),
  resourceGroup: z.string().nullable(),
  subscriptionId: z.string(),
  subscriptionName: z.string().nullable(),
  tenant: z.object({ id: z.string(), name: z.string(), directoryId: z.string() }),
  portalUrl: z.string(),
  tags: z.record(z.string(), z.string()),
  counts: ZResourceCounts,
  findings: z.array(z.object({ id: z.string(), recommendationKey: z.string(), status: z.string() }).passthrough()),
});
