import type { Metadata } from "next";
import { NotYetAvailable } from "@/components/shell/coming-soon";
import { Forbidden } from "@/components/shell/forbidden";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/auth/page";
import { hasRole } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Rules" };

export default async function Page() {
  const actor = await requirePageActor();
  if (!hasRole(actor.role, "admin")) return <Forbidden need="admin" />;
  return (
    <>
      <PageHeader title="Rules" />
      <NotYetAvailable feature="Governance automation rules" detail="Rules, dry runs and priorities arrive with the sync engine." />
    </>
  );
}
