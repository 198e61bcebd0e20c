// Rows of Resource Graph's `securityresources` table (served by routes-resource-graph.ts), in the column
// order Resource Graph answers with. Resource Graph spells `type` lower-cased.

type Row = Record<string, unknown>;
/** An ARM resource body as the REST listing answers it. */
type ArmBody = { id: string; name: string; type: string; properties: unknown };

/**
 * Subscription-level summaries (secure scores, compliance standards, their controls and assessments) as
 * rows, in the order `bodiesOf` yields them for each subscription: no resource group, location or kind.
 */
export function summaryRows(
  tenantId: string,
  subscriptionIds: Iterable<string>,
  bodiesOf: (subscriptionId: string) => Iterable<ArmBody>,
): Row[] {
  const rows: Row[] = [];
  for (const subscriptionId of subscriptionIds) {
    for (const body of bodiesOf(subscriptionId)) {
      rows.push({
        id: body.id,
        name: body.name,
        type: body.type.toLowerCase(),
        tenantId,
        subscriptionId,
        resourceGroup: "",
        location: "",
        kind: "",
        properties: body.properties,
      });
    }
  }
  return rows;
}

/** An assessment or sub-assessment row, with every column of the table (the ones it has no value for empty). */
export function securityRow(
  tenantId: string,
  r: { id: unknown; name: unknown; type: string; resourceGroup: string; subscriptionId: string; properties: unknown },
): Row {
  return {
    id: r.id,
    name: r.name,
    type: r.type,
    tenantId,
    kind: "",
    location: "",
    resourceGroup: r.resourceGroup,
    subscriptionId: r.subscriptionId,
    managedBy: "",
    sku: null,
    plan: null,
    properties: r.properties,
    tags: null,
    identity: null,
    zones: null,
    extendedLocation: null,
  };
}
