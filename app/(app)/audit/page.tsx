import type { Metadata } from "next";
import { auditFiltersOf } from "@/components/audit/audit-filters";
import { AuditView } from "@/components/audit/audit-view";
import { Forbidden } from "@/components/shell/forbidden";
import { listAudit } from "@/lib/audit/list";
import { requirePageActor } from "@/lib/auth/page";
import { pageRole, pageRoleLabel } from "@/lib/auth/page-access";
import { hasRole } from "@/lib/auth/roles";
import { auditKeys } from "@/lib/queries/audit/keys";
import { makeQueryClient } from "@/lib/queries/query-client";
import { ZAuditQuery } from "@/lib/schemas/audit";
import { PrefetchedPage } from "@/components/shell/prefetched-page";
import { prefetchParsed } from "../_page/load";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageActor();
  if (!hasRole(actor.role, pageRole("/audit"))) return <Forbidden need={pageRoleLabel("/audit")} />;
  const filters = auditFiltersOf(await searchParams);
  const qc = makeQueryClient();
  await prefetchParsed(qc, ZAuditQuery, filters, auditKeys.list(filters), (query) => listAudit(actor, query));
  return (
    <PrefetchedPage
      client={qc}
      header={{
        title: "Audit log",
        description:
          "Sign-ins, ticket creation and links, rule and connection changes, manual syncs and API tokens — who, when, and what changed.",
      }}
    >
      <AuditView />
    </PrefetchedPage>
  );
}
