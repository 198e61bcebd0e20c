import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Forbidden } from "@/components/shell/forbidden";
import { FindingDetailView } from "@/components/vulnerabilities/finding-detail";
import { requirePageActor } from "@/lib/auth/page";
import { canWrite, hasRole } from "@/lib/auth/roles";
import { getFinding } from "@/lib/findings/detail";
import { makeQueryClient } from "@/lib/queries/query-client";
import { FINDING_PAGE_SUB_LIMIT } from "@/lib/queries/sub-assessments/api";
import { subAssessmentKeys } from "@/lib/queries/sub-assessments/keys";
import { ZIdParams } from "@/lib/schemas/common";
import { PrefetchedPage } from "@/components/shell/prefetched-page";
import { loadOr404 } from "../../_page/load";

export const metadata: Metadata = { title: "Finding" };

type Props = { params: Promise<{ id: string }> };

export default async function FindingPage({ params }: Props) {
  const actor = await requirePageActor();
  if (!hasRole(actor.role, "manager")) return <Forbidden need="Manager" />;
  const parsed = ZIdParams.safeParse(await params);
  if (!parsed.success) notFound();
  const id = parsed.data.id;
  const detail = await loadOr404(() => getFinding(actor, id, { subLimit: FINDING_PAGE_SUB_LIMIT }));
  const qc = makeQueryClient();
  qc.setQueryData(subAssessmentKeys.finding(id), JSON.parse(JSON.stringify(detail)));
  return (
    <PrefetchedPage client={qc}>
      <FindingDetailView id={id} canWrite={canWrite(actor.role)} />
    </PrefetchedPage>
  );
}
