import type { Metadata } from "next";
import { NotYetAvailable } from "@/components/shell/coming-soon";
import { Forbidden } from "@/components/shell/forbidden";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/auth/page";
import { hasRole } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Findings" };

export default async function Page() {
  const actor = await requirePageActor();
  if (!hasRole(actor.role, "manager")) return <Forbidden need="manager" />;
  return (
    <>
      <PageHeader title="Findings" />
      <NotYetAvailable feature="The per-resource findings view" detail="It arrives with Defender for Cloud ingestion." />
    </>
  );
}
