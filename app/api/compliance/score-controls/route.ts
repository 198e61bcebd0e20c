// GET /api/compliance/score-controls — Defender's secure score by security control, with each control's recommendations (manager).
import { listScoreControls } from "@/lib/compliance/score-controls-sql";
import { route } from "@/lib/http/route";
import { ZComplianceScopeQuery } from "@/lib/schemas/compliance";
import { ZScoreControls } from "@/lib/schemas/score-controls";

export const GET = route({
  summary: "Secure score by control: points, resources and the recommendations of each control",
  role: "manager",
  query: ZComplianceScopeQuery,
  response: ZScoreControls,
  handler: ({ actor, query }) => listScoreControls(actor, query),
});
