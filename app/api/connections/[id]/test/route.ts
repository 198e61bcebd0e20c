// POST /api/connections/{id}/test — sign in to the instance and check the tables and defaults it needs
// (analyst). Answers 200 with one step per check; a failed check is a result, not an HTTP error.
import { testConnection } from "@/lib/connections/test-connection";
import { routeById } from "@/lib/http/route-by-id";
import { ZConnectionTestResult } from "@/lib/schemas/connections";

export const POST = routeById({
  summary: "Test a ServiceNow connection: sign-in, table permissions, defaults",
  role: "analyst",
  response: ZConnectionTestResult,
  handler: ({ actor, id }) => testConnection(actor, id),
});
