// GET /api/resources/{resource id} — one Azure resource: its findings with tickets, tags and portal link (manager).
// The path carries the ARM id after /api/resources, e.g. /api/resources/subscriptions/{sub}/resourceGroups/{rg}/providers/{type}/{name}.
import { route } from "@/lib/http/route";
import { getResource } from "@/lib/resources/detail-sql";
import { resourceIdOfSegments, ZResourceDetail, ZResourceParams } from "@/lib/schemas/resources";

export const GET = route({
  summary: "Get one Azure resource with every Defender finding on it, its tickets and tags",
  role: "manager",
  params: ZResourceParams,
  response: ZResourceDetail,
  handler: ({ actor, params }) => getResource(actor, resourceIdOfSegments(params.id)),
});
