import type { Metadata } from "next";
import { TokensView } from "@/components/tokens/tokens-view";
import { Forbidden } from "@/components/shell/forbidden";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/auth/page";
import { pageRole, pageRoleLabel } from "@/lib/auth/page-access";
import { hasRole } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  const actor = await requirePageActor();
  if (!hasRole(actor.role, pageRole("/settings/tokens"))) return <Forbidden need={pageRoleLabel("/settings/tokens")} />;
  return (
    <>
      <PageHeader title="API tokens" description="Automation access with the same role checks as people." />
      <TokensView />
    </>
  );
}
