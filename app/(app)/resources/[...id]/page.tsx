import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { Forbidden } from "@/components/shell/forbidden";
import { ResourceView } from "@/components/resources/resource-view";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/auth/page";
import { canWrite, hasRole } from "@/lib/auth/roles";
import { isAppError } from "@/lib/http/errors";
import { makeQueryClient } from "@/lib/queries/query-client";
import { resourceKeys } from "@/lib/queries/resources/keys";
import { getResource } from "@/lib/resources/detail-sql";
import { resourceIdOfSegments, ZResourceParams } from "@/lib/schemas/resources";

export const metadata: Metadata = { title: "Resource" };

/** Segments arrive percent-encoded or not depending on how the link was built; decode once, never fail. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export default async function ResourcePage({ params }: { params: Promise<{ id: string[] }> }) {
  const actor = await requirePageActor();
  if (!hasRole(actor.role, "manager")) return <Forbidden need="Manager" />;
  const parsed = ZResourceParams.safeParse({ id: (await params).id.map(safeDecode) });
  if (!parsed.success) notFound();
  const resourceId = resourceIdOfSegments(parsed.data.id);
  let resource;
  try {
    resource = await getResource(actor, resourceId);
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  }
  const qc = makeQueryClient();
  qc.setQueryData(resourceKeys.detail(resourceId), resource);
  return (
    <>
      <PageHeader
        title={resource.name}
        breadcrumb={
          <Link href="/findings" className="hover:underline">
            Findings
          </Link>
        }
      />
      <HydrationBoundary state={dehydrate(qc)}>
        <ResourceView resourceId={resourceId} canWrite={canWrite(actor.role)} />
      </HydrationBoundary>
    </>
  );
}
