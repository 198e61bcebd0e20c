// Configuration items of the emulated CMDB, derived from the ARM world the way ServiceNow's Azure
// discovery (Service Graph Connector / Cloud Discovery) and the Defender for Cloud integration record
// them: one cmdb_ci per Azure resource, class by resource type, `object_id` = the Azure resource id.
// Discovery never covers everything, so only a share of the resources has a CI; and Azure hands out
// resource ids in more than one casing (resource group names in particular), so some CIs carry the
// resource group upper-cased — a consumer must match object_id case-insensitively.
// Exported for every emulator feature that needs CIs (tickets' cmdb_ci / task_ci, Configuration Compliance).
import { stableHex } from "../common/rng";
import type { Resource, World } from "../seed/types";
import { type SnRecord } from "./query-engine";
import { CI_CLASSES, DEFAULT_CI_CLASS } from "./schema";

/** Share of the world's resources that discovery has put in the CMDB (per mille, deterministic per resource). */
export const CI_COVERAGE_PER_MILLE = 850;

// Two deterministic buckets (0–999) per resource from one hash, remembered: worlds have up to ~100k resources.
const buckets = new Map<string, [coverage: number, casing: number]>();
function bucketsOf(resourceId: string): [number, number] {
  let b = buckets.get(resourceId);
  if (!b) {
    const hex = stableHex(12, "cmdb", resourceId.toLowerCase());
    b = [parseInt(hex.slice(0, 6), 16) % 1000, parseInt(hex.slice(6, 12), 16) % 1000];
    if (buckets.size > 200_000) buckets.clear();
    buckets.set(resourceId, b);
  }
  return b;
}

/** Whether discovery has a CI for this resource (about 85% of them). */
export function hasCi(resource: Pick<Resource, "id">): boolean {
  return bucketsOf(resource.id)[0] < CI_COVERAGE_PER_MILLE;
}

/** The object_id discovery recorded: the resource id, with the resource group upper-cased for about one CI in five. */
export function objectIdOf(resource: Pick<Resource, "id">): string {
  if (bucketsOf(resource.id)[1] >= 200) return resource.id;
  return resource.id.replace(/(\/resourceGroups\/)([^/]+)/i, (_m, head: string, group: string) => `${head}${group.toUpperCase()}`);
}

/** The cmdb_ci records (without the sys_ bookkeeping fields) of the world's discovered resources. */
export function cmdbCisOf(world: Pick<World, "resources">): SnRecord[] {
  return world.resources.filter(hasCi).map((r) => ({
    sys_id: r.ciSysId,
    sys_class_name: CI_CLASSES[r.type] ?? DEFAULT_CI_CLASS,
    name: r.name,
    object_id: objectIdOf(r),
    short_description: `${r.type} in ${r.resourceGroup}`,
    operational_status: "1",
    install_status: "1",
    discovery_source: "Azure",
    location: r.location,
  }));
}
