import { NotYetAvailable } from "@/components/shell/coming-soon";
import { type PageActor } from "@/lib/auth/page";

/** Azure tenant connections (list, add, test, sync). */
export async function AzureTenantsSection(_props: { actor: PageActor }) {
  return <NotYetAvailable feature="Azure tenant connections" detail="They arrive with Defender for Cloud ingestion." />;
}
