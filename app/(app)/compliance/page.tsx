import type { Metadata } from "next";
import { ButtonLink } from "@/components/ui/button";
import { ComplianceView } from "@/components/compliance/compliance-view";
import { Forbidden } from "@/components/shell/forbidden";
import { requirePageActor } from "@/lib/auth/page";
import { hasRole } from "@/lib/auth/roles";
import { getControlDetail, getStandardDetail } from "@/lib/compliance/standards";
import { getComplianceSummary } from "@/lib/compliance/summary";
import { complianceKeys } from "@/lib/queries/compliance/keys";
import { makeQueryClient } from "@/lib/queries/query-client";
import { complianceQueryOf, ZComplianceName } from "@/lib/schemas/compliance";
import { PrefetchedPage } from "@/components/shell/prefetched-page";

export const metadata: Metadata = { title: "Compliance" };

type SearchParams = Record<string, string | string[] | undefined>;

function nameParam(params: SearchParams, key: string): string | null {
  const parsed = ZComplianceName.safeParse(Array.isArray(params[key]) ? params[key][0] : params[key]);
  return parsed.success ? parsed.data : null;
}

export default async function CompliancePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePageActor();
  if (!hasRole(actor.role, "manager")) return <Forbidden need="Manager" />;
  const params = await searchParams;
  // The same parse as the client view, so the first paint is served from this prefetch (drill-down included).
  const query = complianceQueryOf(params);
  const standard = nameParam(params, "standard");
  const control = standard ? nameParam(params, "control") : null;
  const scope = query.subscriptionId ? { subscriptionId: query.subscriptionId } : {};
  const sub = query.subscriptionId ?? null;
  const qc = makeQueryClient();
  await Promise.all([
    qc.prefetchQuery({ queryKey: complianceKeys.summary(query), queryFn: () => getComplianceSummary(actor, query) }),
    standard
      ? qc.prefetchQuery({ queryKey: complianceKeys.standard(standard, sub), queryFn: () => getStandardDetail(actor, standard, scope) })
      : null,
    standard && control
      ? qc.prefetchQuery({
          queryKey: complianceKeys.control(standard, control, sub),
          queryFn: () => getControlDetail(actor, standard, control, scope),
        })
      : null,
  ]);
  return (
    <PrefetchedPage
      client={qc}
      header={{
        title: "Compliance",
        description:
          "Secure score, regulatory standards, ticket coverage and remediation SLA — for all subscriptions or one, over a date range.",
        actions: <ButtonLink href="/compliance/cc">Configuration Compliance</ButtonLink>,
      }}
    >
      <ComplianceView />
    </PrefetchedPage>
  );
}
