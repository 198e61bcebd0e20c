// GET /api/audit — the audit log, newest first, filterable (admin).
import { listAudit } from "@/lib/audit/list";
import { route } from "@/lib/http/route";
import { ZAuditQuery } from "@/lib/schemas/audit";

export const GET = route({
  role: "admin",
  query: ZAuditQuery,
  handler: ({ actor, query }) => listAudit(actor, query),
});
