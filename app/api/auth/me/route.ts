// GET /api/auth/me — who the caller is (session or API token) and their role.
import { route } from "@/lib/http/route";

export const GET = route({
  role: "manager",
  handler: async ({ actor }) => ({ type: actor.type, id: actor.id, name: actor.name, email: actor.email, role: actor.role }),
});
