// GET /api/ready — readiness: the database answers and all migrations are applied (503 otherwise).
import { readiness } from "@/lib/health/readiness-sql";
import { jsonResponse } from "@/lib/http/json";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route({
  role: "public",
  summary: "Readiness probe (database reachable, migrations applied)",
  handler: async () => {
    const result = await readiness();
    return jsonResponse(result, { status: result.status === "ready" ? 200 : 503 });
  },
});
