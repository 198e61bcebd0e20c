// GET /api/openapi.json — the OpenAPI 3.1 document of this API, generated from the routes' zod schemas.
import { route } from "@/lib/http/route";
import { openApiDocument } from "@/lib/openapi/openapi";

export const dynamic = "force-dynamic";

export const GET = route({
  role: "public",
  summary: "This OpenAPI document",
  handler: async () => openApiDocument(),
});
