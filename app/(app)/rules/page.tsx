import type { Metadata } from "next";
import { rulesFilterOf } from "@/components/rules/rule-filters";
import { RulesView } from "@/components/rules/rules-view";
import { Forbidden } from "@/components/shell/forbidden";
import { requirePageActor } from "@/lib/auth/page";
import { pageRole, pageRoleLabel } from "@/lib/auth/page-access";
import { hasRole } from "@/lib/auth/roles";
import { makeQueryClient } from "@/lib/queries/query-client";
import { ruleKeys } from "@/lib/queries/rules/keys";
import { ruleFormOptions } from "@/lib/rules/options-sql";
import { listRules } from "@/lib/rules/read";
import { ZRulesQuery } from "@/lib/schemas/rules";
import { PrefetchedPage } from "@/components/shell/prefetched-page";
import { prefetchParsed } from "../_page/load";

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
  if (filters.connectionId) await prefetchParsed(qc, ZRulesQuery, filters, ruleKeys.list(filters), (query) => listRules(actor, query));
  return (
    <PrefetchedPage
      client={qc}
      header={{
        title: "Rules",
        description:
          "Governance automation: during each sync, unhealthy findings without a ticket get one from the first enabled rule that matches them (lowest priority number first).",
      }}
    >
      <RulesView options={options} defaultConnectionId={defaultConnectionId} />
    </PrefetchedPage>
  );
}
