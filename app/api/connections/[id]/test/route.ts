// POST /api/connections/{id}/test — sign in to the instance and check the tables and defaults it needs
// (analyst). Answers 200 with one step per check; a failed check is a result, not an HTTP error.
import { testConnection } from "@/lib/connections/test-connection";
import { route } from "@/lib/http/route";
import { ZIdParams } from "@/lib/schemas/common";
import { ZConnectionTestResult } from "@/lib/schemas/connections";

export const POST = route({
  summary: "Test a ServiceNow connection: sign-in, table permissions, defaults",
  role: "analyst",
  params: ZIdParams,
  response: ZConnectionTestResult,
  handler: ({ actor, params }) => testConnection(actor, params.id),
});
