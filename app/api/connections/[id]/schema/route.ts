// GET /api/connections/{id}/schema?table=incident — what PostureDesk discovered about one table of the
// instance (sys_dictionary, sys_choice, data policies, fields learned from refusals), discovered now if
// it never was (analyst, admin).
import { route } from "@/lib/http/route";
import { getTableSchema } from "@/lib/instance-schema/store";
import { ZIdParams } from "@/lib/schemas/common";
import { ZSchemaQuery, ZTableSchema } from "@/lib/schemas/instance-schema";

export const GET = route({
  summary: "Discovered fields of a ServiceNow table: types, choices, mandatory (data policy, dictionary, learned)",
  role: "analyst",
  params: ZIdParams,
  query: ZSchemaQuery,
  response: ZTableSchema,
  handler: ({ actor, params, query }) => getTableSchema(actor, params.id, query.table),
});
