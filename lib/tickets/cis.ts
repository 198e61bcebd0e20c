import "server-only";

// Configuration items of the resources a ticket covers. ServiceNow's Azure discovery and its Defender for
// Cloud integration record an Azure resource as a cmdb_ci whose `object_id` is the Azure resource id.
// Resource ids are case-insensitive in Azure and are not always recorded in one casing, so each id is
// asked in the casing Defender reported and in lower case, and answers are matched case-insensitively.
// Lookups are batched (`object_idIN…`, a few dozen ids per request), never one request per resource.
// A single-resource ticket gets its CI in `cmdb_ci`; a multi-resource ticket lists its CIs as affected
// CIs (`task_ci`). Neither ever fails a ticket: an instance that refuses the reads or writes (ACL) gets
// the ticket without CIs and a warning saying why.
import { isAppError } from "@/lib/http/errors";
import { cellDisplay, cellValue, q, type ServiceNowClient } from "@/lib/servicenow";

export type CiRef = { sysId: string; name: string; objectId: string };
export type CiLookup = { byResource: Map<string, CiRef>; warnings: string[] };

/** Characters of ids per `object_idIN` query: keeps each URL well under common 8 KB proxy limits. */
const QUERY_BUDGET = 3500;

function chunks(values: string[]): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const v of values) {
    if (current.length > 0 && size + v.length + 1 > QUERY_BUDGET) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(v);
    size += v.length + 1;
  }
  if (current.length) out.push(current);
  return out;
}

const why = (error: unknown) => (isAppError(error) ? error.userMessage : "unexpected error");

/** CI per resource id (key: lower-cased resource id) for the resources discovery has in the CMDB. */
export async function lookupCis(client: ServiceNowClient, resourceIds: string[]): Promise<CiLookup> {
  const byResource = new Map<string, CiRef>();
  const wanted = new Set(resourceIds.map((id) => id.toLowerCase()));
  // IN lists cannot escape commas: an id with one (none in ARM) is not asked.
  const asked = [...new Set(resourceIds.flatMap((id) => [id, id.toLowerCase()]))].filter((id) => id && !id.includes(","));
  try {
    for (const part of chunks(asked)) {
      const rows = client.iterate("cmdb_ci", {
        query: q().in("object_id", part).orderBy("sys_created_on"),
        fields: ["sys_id", "name", "object_id"],
        limit: 500,
        noCount: true,
      });
      for await (const r of rows) {
        const objectId = cellValue(r.object_id);
        const key = objectId.toLowerCase();
        // The first CI discovery created for a resource wins (duplicates are possible in a real CMDB).
        if (wanted.has(key) && !byResource.has(key))
          byResource.set(key, { sysId: cellValue(r.sys_id), name: cellDisplay(r.name) || objectId, objectId });
      }
    }
    return { byResource, warnings: [] };
  } catch (error) {
    if (isAppError(error) && error.code === "UPSTREAM_FORBIDDEN") {
      return {
        byResource,
        warnings: [`Configuration items were not looked up: the integration user cannot read cmdb_ci (${why(error)}).`],
      };
    }
    throw error;
  }
}

/** The one CI of a ticket whose findings are all on one resource, else undefined. */
export function singleCiOf(lookup: CiLookup | undefined, resourceIds: string[]): CiRef | undefined {
  const resources = new Set(resourceIds.map((id) => id.toLowerCase()));
  if (!lookup || resources.size !== 1) return undefined;
  return lookup.byResource.get([...resources][0]!);
}

/** Distinct CIs of the resources (multi-resource tickets' affected CIs). */
export function cisOf(lookup: CiLookup | undefined, resourceIds: string[]): CiRef[] {
  if (!lookup) return [];
  const seen = new Map<string, CiRef>();
  for (const id of resourceIds) {
    const ci = lookup.byResource.get(id.toLowerCase());
    if (ci) seen.set(ci.sysId, ci);
  }
  return [...seen.values()];
}

/**
 * Lists the CIs as affected CIs of the task (task_ci), skipping those already listed (a repeat, or a
 * record adopted after a crash). Returns warnings instead of failing.
 */
export async function attachAffectedCis(client: ServiceNowClient, taskSysId: string, cis: CiRef[]): Promise<string[]> {
  if (cis.length === 0) return [];
  try {
    const existing = new Set<string>();
    for await (const r of client.iterate("task_ci", { query: q().eq("task", taskSysId), fields: ["ci_item"], limit: 500, noCount: true }))
      existing.add(cellValue(r.ci_item));
    for (const ci of cis) {
      if (existing.has(ci.sysId)) continue;
      await client.create("task_ci", { task: taskSysId, ci_item: ci.sysId }, { fields: ["sys_id"] });
    }
    return [];
  } catch (error) {
    return [`The affected configuration items could not all be listed on the ticket (task_ci): ${why(error)}`];
  }
}
