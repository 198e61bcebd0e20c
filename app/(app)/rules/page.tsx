import type { Metadata } from "next";
import { Suspense } from "react";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { rulesFilterOf } from "@/components/rules/rule-filters";
import { RulesView } from "@/components/rules/rules-view";
import { Forbidden } from "@/components/shell/forbidden";
import { PageHeader } from "@/components/ui/page-header";
import { LoadingState } from "@/components/ui/states";
import { requirePageActor } from "@/lib/auth/page";
import { pageRole, pageRoleLabel } from "@/lib/auth/page-access";
import { hasRole } from "@/lib/auth/roles";
import { makeQueryClient } from "@/lib/queries/query-client";
import { ruleKeys } from "@/lib/queries/rules/keys";
import { ruleFormOptions } from "@/lib/rules/options-sql";
import { listRules } from "@/lib/rules/read";
import { ZRulesQuery } from "@/lib/schemas/rules";

export const metadata: Metadata = { title: "Rules" };

export default async function RulesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageActor();
  if (!hasRole(actor.role, pageRole("/rules"))) return <Forbidden need={pageRoleLabel("/rules")} />;
  const sp = await searchParams;
  const options = await ruleFormOptions(actor);
  const requested = typeof sp.connectionId === "string" ? sp.connectionId : undefined;
  const defaultConnectionId = options.connections[0]?.id ?? null;
  const filters = rulesFilterOf(requested ?? defaultConnectionId ?? undefined);
  const qc = makeQueryClient();
  const parsed = ZRulesQuery.safeParse(filters);
  if (parsed.success && filters.connectionId)
    await qc.prefetchQuery({ queryKey: ruleKeys.list(filters), queryFn: () => listRules(actor, parsed.data) });
  return (
    <>
      <PageHeader
        title="Rules"
        description="Governance automation: during each sync, unhealthy findings without a ticket get one from the first enabled rule that matches them (lowest priority number first)."
      />
      <HydrationBoundary state={dehydrate(qc)}>
        <Suspense fallback={<LoadingState />}>
          <RulesView options={options} defaultConnectionId={defaultConnectionId} />
        </Suspense>
      </HydrationBoundary>
    </>
  );
}
