import type { Metadata } from "next";
import { NotYetAvailable } from "@/components/shell/coming-soon";
import { Forbidden } from "@/components/shell/forbidden";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/auth/page";
import { hasRole } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "API reference" };

export default async function Page() {
  const actor = await requirePageActor();
  if (!hasRole(actor.role, "manager")) return <Forbidden need="manager" />;
  return (
    <>
      <PageHeader title="API reference" />
      <NotYetAvailable feature="The API reference" detail="The OpenAPI document arrives with the automation surface." />
    </>
  );
}
