// GET /api/connections/{id}/governance — how many Defender governance assignments PostureDesk wrote for the
// connection's tickets (analyst): the archive dialog shows it before offering to remove them.
import { countConnectionGovernance } from "@/lib/governance/remove";
import { route } from "@/lib/http/route";
import { ZIdParams } from "@/lib/schemas/common";
import { ZConnectionGovernance } from "@/lib/schemas/connections";

export const GET = route({
  summary: "Count the Defender governance assignments written for a ServiceNow connection's tickets",
  role: "analyst",
  params: ZIdParams,
  response: ZConnectionGovernance,
  handler: async ({ actor, params }) => ({ managedAssignments: await countConnectionGovernance(actor, params.id) }),
});
