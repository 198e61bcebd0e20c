import type { Metadata } from "next";
import { AzureTenantsSection } from "./_sections/azure-tenants-section";
import { ServiceNowSection } from "./_sections/servicenow-section";
import { Forbidden } from "@/components/shell/forbidden";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/auth/page";
import { pageRole, pageRoleLabel } from "@/lib/auth/page-access";
import { hasRole } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Connections" };

export default async function ConnectionsPage() {
  const actor = await requirePageActor();
  if (!hasRole(actor.role, pageRole("/connections"))) return <Forbidden need={pageRoleLabel("/connections")} />;
  return (
    <>
      <PageHeader
        title="Connections"
        description="The Azure tenants Defender for Cloud findings come from, and the ServiceNow instances tickets live in. Admins manage them; analysts can test and sync."
      />
      <div className="space-y-6">
        <AzureTenantsSection actor={actor} />
        <ServiceNowSection actor={actor} />
      </div>
    </>
  );
}
