// GET /api/health — liveness: the process is up and serving (no dependencies checked).
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route({
  role: "public",
  handler: async () => ({ status: "ok", uptimeSeconds: Math.round(process.uptime()) }),
});
