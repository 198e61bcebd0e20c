import type { Metadata } from "next";
import { NotYetAvailable } from "@/components/shell/coming-soon";
import { Forbidden } from "@/components/shell/forbidden";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/auth/page";
import { hasRole } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Sync history" };

export default async function Page() {
  const actor = await requirePageActor();
  if (!hasRole(actor.role, "manager")) return <Forbidden need="manager" />;
  return (
    <>
      <PageHeader title="Sync history" />
      <NotYetAvailable feature="Sync history" detail="Sync runs and their events arrive with the sync engine." />
    </>
  );
}
