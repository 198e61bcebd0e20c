import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { apiRouteFiles, renderRegistry } from "@/scripts/gen-api-registry";
import { openApiDocument } from "@/lib/openapi/document";
import { API_ROUTE_MODULES } from "@/lib/openapi/registry.generated";

describe("openApiDocument", () => {
  test("the registry lists exactly the route files under app/api (run `npm run gen:api` when this fails)", () => {
    const onDisk = renderRegistry(apiRouteFiles());
    const committed = readFileSync(path.join(__dirname, "registry.generated.ts"), "utf8");
    expect(committed).toBe(onDisk);
  });

  test("every method every route exports is documented, with its parameters and body", () => {
    const doc = openApiDocument();
    expect(doc.openapi).toBe("3.1.0");
    for (const { path: p, module } of API_ROUTE_MODULES) {
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
        if (typeof module[method] !== "function") continue;
        const op = doc.paths[p]?.[method.toLowerCase()] as { parameters: Array<{ name: string; in: string }>; requestBody?: unknown } | undefined;
        expect(op, `${method} ${p} is in the document`).toBeDefined();
        for (const name of [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
          expect(op!.parameters.some((x) => x.name === name && x.in === "path"), `${method} ${p} documents {${name}}`).toBe(true);
        }
        const meta = (module[method] as { meta?: { body?: unknown } }).meta;
        if (meta?.body) expect(op!.requestBody, `${method} ${p} documents its body`).toBeDefined();
      }
    }
  });

  test("request schemas come from the routes' zod schemas", () => {
    const doc = openApiDocument();
    const create = doc.paths["/api/tokens"].post as { requestBody: { content: { "application/json": { schema: { required: string[]; properties: Record<string, { enum?: string[] }> } } } } };
    const schema = create.requestBody.content["application/json"].schema;
    expect(schema.required).toEqual(["name", "role"]);
    expect(schema.properties.role.enum).toEqual(["ADMIN", "ANALYST", "MANAGER"]);
    const list = doc.paths["/api/audit"].get as { parameters: Array<{ name: string; in: string }> };
    expect(list.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(["page", "pageSize", "action"]));
  });
});
