import type { Metadata } from "next";
import { NotYetAvailable } from "@/components/shell/coming-soon";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/auth/page";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const actor = await requirePageActor();
  return (
    <>
      <PageHeader title="Overview" description={`Signed in as ${actor.name}.`} />
      <NotYetAvailable feature="The overview" detail="Secure score, findings, tickets and sync status appear here once ingestion and sync have landed." />
    </>
  );
}
