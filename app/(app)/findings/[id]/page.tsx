import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { Forbidden } from "@/components/shell/forbidden";
import { LoadingState } from "@/components/ui/states";
import { FindingDetailView } from "@/components/vulnerabilities/finding-detail";
import { requirePageActor } from "@/lib/auth/page";
import { canWrite, hasRole } from "@/lib/auth/roles";
import { getFinding } from "@/lib/findings/detail";
import { isAppError } from "@/lib/http/errors";
import { makeQueryClient } from "@/lib/queries/query-client";
import { FINDING_PAGE_SUB_LIMIT } from "@/lib/queries/sub-assessments/api";
import { subAssessmentKeys } from "@/lib/queries/sub-assessments/keys";
import { ZIdParams } from "@/lib/schemas/common";

export const metadata: Metadata = { title: "Finding" };

type Props = { params: Promise<{ id: string }> };

export default async function FindingPage({ params }: Props) {
  const actor = await requirePageActor();
  if (!hasRole(actor.role, "manager")) return <Forbidden need="Manager" />;
  const parsed = ZIdParams.safeParse(await params);
  if (!parsed.success) notFound();
  const id = parsed.data.id;
  let detail;
  try {
    detail = await getFinding(actor, id, { subLimit: FINDING_PAGE_SUB_LIMIT });
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  }
  const qc = makeQueryClient();
  qc.setQueryData(subAssessmentKeys.finding(id), JSON.parse(JSON.stringify(detail)));
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <Suspense fallback={<LoadingState />}>
        <FindingDetailView id={id} canWrite={canWrite(actor.role)} />
      </Suspense>
    </HydrationBoundary>
  );
}
