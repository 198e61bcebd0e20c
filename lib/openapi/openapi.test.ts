import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import { loadApiRoutes, OPENAPI_FILE, renderDocument } from "@/scripts/gen-api-registry";
import { type ApiRouteEntry, buildOpenApiDocument } from "@/lib/openapi/document";
import { openApiDocument } from "@/lib/openapi/openapi";

describe("openApiDocument", () => {
  // Loading all route modules takes seconds of CPU on a busy machine: once, with a generous bound.
  let routes: ApiRouteEntry[] = [];
  beforeAll(async () => {
    routes = await loadApiRoutes();
  }, 180_000);

  test("the committed document is the one the routes describe (run `npm run gen:api` when this fails)", () => {
    const built = renderDocument(buildOpenApiDocument(routes));
    expect(readFileSync(OPENAPI_FILE, "utf8")).toBe(built);
  });

  test("every method every route exports is documented, with its parameters and body", () => {
    const doc = openApiDocument();
    expect(doc.openapi).toBe("3.1.0");
    for (const { path: p, module } of routes) {
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
        if (typeof module[method] !== "function") continue;
        const op = doc.paths[p]?.[method.toLowerCase()] as
          { parameters: Array<{ name: string; in: string }>; requestBody?: unknown } | undefined;
        expect(op, `${method} ${p} is in the document`).toBeDefined();
        for (const name of [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
          expect(
            op!.parameters.some((x) => x.name === name && x.in === "path"),
            `${method} ${p} documents {${name}}`,
          ).toBe(true);
        }
        const meta = (module[method] as { meta?: { body?: unknown } }).meta;
        if (meta?.body) expect(op!.requestBody, `${method} ${p} documents its body`).toBeDefined();
      }
    }
  });

  test("request schemas come from the routes' zod schemas", () => {
    const doc = openApiDocument();
    const create = doc.paths["/api/tokens"].post as {
      requestBody: { content: { "application/json": { schema: { required: string[]; properties: Record<string, { enum?: string[] }> } } } };
    };
    const schema = create.requestBody.content["application/json"].schema;
    expect(schema.required).toEqual(["name", "role"]);
    expect(schema.properties.role.enum).toEqual(["ADMIN", "ANALYST", "MANAGER"]);
    const list = doc.paths["/api/audit"].get as { parameters: Array<{ name: string; in: string }> };
    expect(list.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(["page", "pageSize", "action"]));
  });
});
