"use client";
// Slots on the resource page for what other features add about one resource. Each renders nothing
// until its feature fills it in; the page already places them.
//   - <ResourceVulnerabilities>: Defender sub-assessments (vulnerability sub-findings) of the resource's findings.
//   - <ResourceConfigurationCompliance>: ServiceNow Configuration Compliance results for the resource.
import { type TResourceDetail } from "@/lib/schemas/resources";

export type ResourceSectionProps = { resource: TResourceDetail };

/** SLOT (sub-assessments): vulnerability sub-findings of this resource's findings. */
export function ResourceVulnerabilities(_props: ResourceSectionProps) {
  return null;
}

/** SLOT (Configuration Compliance): CC test results for this resource, when the connection exports them. */
export function ResourceConfigurationCompliance(_props: ResourceSectionProps) {
  return null;
}
