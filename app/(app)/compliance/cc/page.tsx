import type { Metadata } from "next";
import { CcView } from "@/components/compliance-cc/cc-view";
import { Forbidden } from "@/components/shell/forbidden";
import { requirePageActor } from "@/lib/auth/page";
import { canWrite, hasRole } from "@/lib/auth/roles";
import { getCcCoverage, listCcTasks } from "@/lib/compliance-cc/coverage-sql";
import { ccKeys } from "@/lib/queries/compliance-cc/keys";
import { makeQueryClient } from "@/lib/queries/query-client";
import { PrefetchedPage } from "@/components/shell/prefetched-page";
import { Crumb } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Configuration Compliance" };

export default async function ConfigurationCompliancePage() {
  const actor = await requirePageActor();
  if (!hasRole(actor.role, "manager")) return <Forbidden need="Manager" />;
  const qc = makeQueryClient();
  const coverage = { page: 1, pageSize: 25 };
  const tasks = { page: 1, pageSize: 25, state: "open" as const };
  await Promise.all([
    qc.prefetchQuery({ queryKey: ccKeys.coverage(coverage), queryFn: () => getCcCoverage(actor, coverage) }),
    qc.prefetchQuery({ queryKey: ccKeys.tasks(tasks), queryFn: () => listCcTasks(actor, tasks) }),
  ]);
  return (
    <PrefetchedPage
      client={qc}
      suspense={false}
      header={{
        title: "Configuration Compliance",
        breadcrumb: <Crumb href="/compliance">Compliance</Crumb>,
        description:
          "Does ServiceNow's Configuration Compliance see what Defender for Cloud sees? Coverage, disagreement and remediation tasks, per subscription.",
      }}
    >
      <CcView canCreateTickets={canWrite(actor.role)} />
    </PrefetchedPage>
  );
}
