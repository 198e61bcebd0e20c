// GET /api/connections/{id}/governance — how many Defender governance assignments PostureDesk wrote for the
// connection's tickets (analyst): the archive dialog shows it before offering to remove them.
import { countConnectionGovernance } from "@/lib/governance/remove";
import { routeById } from "@/lib/http/route-by-id";
import { ZConnectionGovernance } from "@/lib/schemas/connections";

export const GET = routeById({
  summary: "Count the Defender governance assignments written for a ServiceNow connection's tickets",
  role: "analyst",
  response: ZConnectionGovernance,
  handler: async ({ actor, id }) => ({ managedAssignments: await countConnectionGovernance(actor, id) }),
});
