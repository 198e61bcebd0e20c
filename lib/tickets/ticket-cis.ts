import "server-only";

// The ticket service's CI steps (called from create.ts): one batched CMDB lookup for every resource of
// the request before the records are created, and after commit the affected CIs (task_ci) of each new
// multi-resource ticket. Warnings (no read access to cmdb_ci, task_ci refused) go to the created tickets.
import { type ServiceNowClient } from "@/lib/servicenow";
import { attachAffectedCis, type CiLookup, cisOf, lookupCis } from "./cis";
import { type CreateOneResult } from "./create-one";
import { type TicketFinding } from "./findings";

export async function lookupTicketCis(client: ServiceNowClient, groups: TicketFinding[][]): Promise<CiLookup> {
  return lookupCis(client, [...new Set(groups.flat().map((f) => f.resourceId))]);
}

/** Lists the CIs of new tickets that cover more than one resource; adds warnings to the results. */
export async function listAffectedCis(client: ServiceNowClient, cis: CiLookup, results: CreateOneResult[]): Promise<void> {
  for (const r of results) {
    if (cis.warnings.length && r.isNew) r.warnings.push(...cis.warnings);
    if (!r.isNew || new Set(r.resourceIds.map((id) => id.toLowerCase())).size < 2) continue;
    r.warnings.push(...(await attachAffectedCis(client, r.ticket.sysId, cisOf(cis, r.resourceIds))));
  }
}
