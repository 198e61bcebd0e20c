import type { Metadata } from "next";
import { NotYetAvailable } from "@/components/shell/coming-soon";
import { Forbidden } from "@/components/shell/forbidden";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/auth/page";
import { hasRole } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Compliance" };

export default async function Page() {
  const actor = await requirePageActor();
  if (!hasRole(actor.role, "manager")) return <Forbidden need="manager" />;
  return (
    <>
      <PageHeader title="Compliance" />
      <NotYetAvailable feature="The compliance view" detail="Secure score, regulatory standards, coverage and SLA charts arrive with the compliance feature." />
    </>
  );
}
