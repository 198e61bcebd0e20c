import "server-only";

// Regulatory compliance, rolled up over the subscriptions in scope (a control failing in one of them is
// failing), and the drill-down: a standard's controls → a control's assessments → the unhealthy findings
// of each assessment's recommendation and the tickets that track them.

import { type TComplianceStandardDetail } from "@/lib/schemas/compliance";
import { standardsOf, controlsOf, notFound } from "./standards-sql";
import { assertRole, type Caller } from "@/lib/auth/authorize";
export { standardsOf, getControlDetail } from "./standards-sql";

export async function getStandardDetail(
  actor: Caller,
  standard: string,
  scope: { subscriptionId?: string },
): Promise<TComplianceStandardDetail> {
  assertRole(actor, "manager", "Reading compliance");
  const sub = scope.subscriptionId ?? null;
  const [summary, controls] = await Promise.all([standardsOf(sub, standard), controlsOf(standard, sub, null)]);
  if (!summary[0]) throw notFound(`The standard "${standard}"`);
  return { standard: summary[0], subscriptionId: sub, controls };
}
