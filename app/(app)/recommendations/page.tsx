import type { Metadata } from "next";
import { NotYetAvailable } from "@/components/shell/coming-soon";
import { Forbidden } from "@/components/shell/forbidden";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/auth/page";
import { hasRole } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Recommendations" };

export default async function Page() {
  const actor = await requirePageActor();
  if (!hasRole(actor.role, "manager")) return <Forbidden need="manager" />;
  return (
    <>
      <PageHeader title="Recommendations" />
      <NotYetAvailable feature="The recommendations workspace" detail="Defender for Cloud ingestion and the recommendations list arrive with the ingestion feature." />
    </>
  );
}
