// GET /api/compliance/cc/tasks — CC remediation tasks read from ServiceNow, with the findings behind
// their test results (manager).
import { listCcTasks } from "@/lib/compliance-cc/coverage-sql";
import { route } from "@/lib/http/route";
import { ZCcTasksQuery } from "@/lib/schemas/compliance-cc";

export const GET = route({
  summary: "Configuration Compliance remediation tasks with the findings behind them",
  role: "manager",
  query: ZCcTasksQuery,
  handler: ({ actor, query }) => listCcTasks(actor, query),
});
