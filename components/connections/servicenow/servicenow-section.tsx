import { NotYetAvailable } from "@/components/shell/coming-soon";
import { type PageActor } from "@/lib/auth/page";

/** ServiceNow connections (list, add, test). */
export async function ServiceNowSection(_props: { actor: PageActor }) {
  return <NotYetAvailable feature="ServiceNow connections" detail="They arrive with ticket creation." />;
}
