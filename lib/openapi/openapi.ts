import { type OpenApiDocument } from "@/lib/openapi/document";
import generated from "@/lib/openapi/openapi.generated.json";

// The OpenAPI document as committed: generated from the routes by `npm run gen:api` (see document.ts).

export function openApiDocument(): OpenApiDocument {
  return generated as unknown as OpenApiDocument;
}
