// DELETE /api/tickets/{id}/links/{findingId} — unlink a finding from a ticket (analyst); 204.
import { route } from "@/lib/http/route";
import { ZUnlinkParams } from "@/lib/schemas/tickets";
import { unlinkFinding } from "@/lib/tickets/links";

export const DELETE = route({
  summary: "Unlink a finding from a ticket",
  role: "analyst",
  params: ZUnlinkParams,
  status: 204,
  handler: async ({ actor, params, requestId }) => {
    await unlinkFinding(actor, params.id, params.findingId, { requestId });
  },
});
