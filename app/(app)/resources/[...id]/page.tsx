import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Forbidden } from "@/components/shell/forbidden";
import { ResourceView } from "@/components/resources/resource-view";
import { requirePageActor } from "@/lib/auth/page";
import { canWrite, hasRole } from "@/lib/auth/roles";
import { makeQueryClient } from "@/lib/queries/query-client";
import { resourceKeys } from "@/lib/queries/resources/keys";
import { getResource } from "@/lib/resources/detail-sql";
import { resourceIdOfSegments, ZResourceParams } from "@/lib/schemas/resources";
import { PrefetchedPage } from "@/components/shell/prefetched-page";
import { Crumb } from "@/components/ui/page-header";
import { loadOr404 } from "../../_page/load";

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
  const resource = await loadOr404(() => getResource(actor, resourceId));
  const qc = makeQueryClient();
  qc.setQueryData(resourceKeys.detail(resourceId), resource);
  return (
    <PrefetchedPage client={qc} header={{ title: resource.name, breadcrumb: <Crumb href="/findings">Findings</Crumb> }} suspense={false}>
      <ResourceView resourceId={resourceId} canWrite={canWrite(actor.role)} />
    </PrefetchedPage>
  );
}
