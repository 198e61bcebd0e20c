// GET /api/connections/{id}/schema?table=incident — what PostureDesk discovered about one table of the
// instance (sys_dictionary, sys_choice, data policies, fields learned from refusals), discovered now if
// it never was (analyst, admin).
import { routeById } from "@/lib/http/route-by-id";
import { getTableSchema } from "@/lib/instance-schema/store";
import { ZSchemaQuery, ZTableSchema } from "@/lib/schemas/instance-schema";

export const GET = routeById({
  summary: "Discovered fields of a ServiceNow table: types, choices, mandatory (data policy, dictionary, learned)",
  role: "analyst",
  query: ZSchemaQuery,
  response: ZTableSchema,
  handler: ({ actor, id, query }) => getTableSchema(actor, id, query.table),
});
