import type { Metadata } from "next";
import { Suspense } from "react";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { AuditView } from "@/components/audit/audit-view";
import { Forbidden } from "@/components/shell/forbidden";
import { PageHeader } from "@/components/ui/page-header";
import { LoadingState } from "@/components/ui/states";
import { listAudit } from "@/lib/audit/list";
import { requirePageActor } from "@/lib/auth/page";
import { pageRole, pageRoleLabel } from "@/lib/auth/page-access";
import { hasRole } from "@/lib/auth/roles";
import { auditKeys } from "@/lib/queries/audit/keys";
import { makeQueryClient } from "@/lib/queries/query-client";
import { ZAuditQuery } from "@/lib/schemas/audit";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageActor();
  if (!hasRole(actor.role, pageRole("/audit"))) return <Forbidden need={pageRoleLabel("/audit")} />;
  const sp = await searchParams;
  const one = (k: string) => (typeof sp[k] === "string" ? (sp[k] as string) : undefined);
  const filters = {
    action: one("action"),
    actor: one("actor"),
    targetType: one("targetType"),
    targetId: one("targetId"),
    page: Number(one("page") ?? 1) || 1,
    pageSize: Number(one("pageSize") ?? 50) || 50,
  };
  const qc = makeQueryClient();
  const parsed = ZAuditQuery.safeParse(filters);
  if (parsed.success) await qc.prefetchQuery({ queryKey: auditKeys.list(filters), queryFn: () => listAudit(actor, parsed.data) });
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Sign-ins, ticket creation and links, rule and connection changes, manual syncs and API tokens — who, when, and what changed."
      />
      <HydrationBoundary state={dehydrate(qc)}>
        <Suspense fallback={<LoadingState />}>
          <AuditView />
        </Suspense>
      </HydrationBoundary>
    </>
  );
}
