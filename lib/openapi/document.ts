import { z, type ZodType } from "zod";
import { type RouteMeta } from "@/lib/http/route";

// OpenAPI 3.1 document of the public HTTP API: a pure function of what each route declares to the route
// wrapper (role, zod params/query/body, success status, optional response schema). JSON Schema comes
// from zod itself (OpenAPI 3.1 uses JSON Schema 2020-12).
//
// It is built at development time, not at request time: `npm run gen:api` (scripts/gen-api-registry.ts)
// loads every app/api route module, calls buildOpenApiDocument and writes lib/openapi/openapi.generated.json,
// which the /api/openapi.json route and the API reference page serve (lib/openapi/openapi.ts). So nothing
// in lib/ imports app/ and the route does not pull every other route into its bundle; the unit test
// lib/openapi/openapi.test.ts fails when the committed document differs from the routes.

type JsonSchema = Record<string, unknown>;
type Operation = Record<string, unknown>;

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

const ROLE_TEXT: Record<RouteMeta["role"], string> = {
  public: "No session needed (the route authenticates itself, or is a probe).",
  manager: "Any role (Manager, Analyst, Admin).",
  analyst: "Analyst or Admin.",
  admin: "Admin only.",
};

function jsonSchema(schema: ZodType): JsonSchema {
  const out = z.toJSONSchema(schema, { io: "input", unrepresentable: "any", target: "draft-2020-12" }) as JsonSchema;
  delete out.$schema;
  return out;
}

/** Path and query parameters from an object schema. */
function parameters(schema: ZodType | undefined, location: "path" | "query"): JsonSchema[] {
  if (!schema) return [];
  const s = jsonSchema(schema);
  const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((s.required ?? []) as string[]);
  return Object.entries(properties).map(([name, schemaOf]) => ({
    name,
    in: location,
    required: location === "path" ? true : required.has(name) && !("default" in schemaOf),
    ...(typeof schemaOf.description === "string" ? { description: schemaOf.description } : {}),
    schema: schemaOf,
  }));
}

const PROBLEM = {
  description: "Error (problem+json)",
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
};

function operation(method: string, path: string, meta: RouteMeta): Operation {
  const tag = path.split("/")[2] ?? "api";
  const pathParams = parameters(meta.params, "path");
  // Path parameters the route does not validate with zod are still documented.
  for (const name of [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
    if (!pathParams.some((p) => p.name === name)) pathParams.push({ name, in: "path", required: true, schema: { type: "string" } });
  }
  const op: Operation = {
    operationId: `${method}${path.replace(/[{}]/g, "").replace(/[^A-Za-z0-9]+(\w)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ""))}`,
    tags: [tag],
    summary: meta.summary ?? `${method.toUpperCase()} ${path}`,
    description: `Access: ${ROLE_TEXT[meta.role]}`,
    parameters: [...pathParams, ...parameters(meta.query, "query")],
    responses: {
      [String(meta.status)]:
        meta.status === 204
          ? { description: "No content" }
          : { description: "Success", content: { "application/json": { schema: meta.response ? jsonSchema(meta.response) : {} } } },
      ...(meta.role === "public" ? {} : { "401": PROBLEM, "403": PROBLEM }),
      "4XX": PROBLEM,
      "5XX": PROBLEM,
    },
    ...(meta.role === "public" ? { security: [] } : {}),
  };
  if (meta.body) op.requestBody = { required: true, content: { "application/json": { schema: jsonSchema(meta.body) } } };
  return op;
}

export type OpenApiDocument = {
  openapi: string;
  info: Record<string, unknown>;
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, unknown>;
  security: unknown[];
};

/** One route file: its OpenAPI path (`/api/connections/{id}`) and its module's exports (GET, POST, …). */
export type ApiRouteEntry = { path: string; module: Record<string, unknown> };

export function buildOpenApiDocument(routes: ApiRouteEntry[]): OpenApiDocument {
  const paths: OpenApiDocument["paths"] = {};
  for (const { path, module } of routes) {
    for (const method of METHODS) {
      const handler = module[method.toUpperCase()] as { meta?: RouteMeta } | undefined;
      if (!handler?.meta) continue;
      (paths[path] ??= {})[method] = operation(method, path, handler.meta);
    }
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "PostureDesk API",
      version: "1",
      description:
        "Defender for Cloud recommendations and the ServiceNow tickets that track them. Authenticate with the session cookie (browser) or `Authorization: Bearer <API token>`. Lists take `page` and `pageSize` (≤ 500) and answer `{ items, total, page, pageSize }`. Errors are problem+json.",
    },
    paths,
    security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "An API token created by an admin (pd_…)" },
        sessionCookie: { type: "apiKey", in: "cookie", name: "pd_session" },
      },
      schemas: {
        Problem: {
          type: "object",
          required: ["type", "title", "status", "detail", "code", "requestId"],
          properties: {
            type: { type: "string" },
            title: { type: "string" },
            status: { type: "integer" },
            detail: { type: "string" },
            code: { type: "string" },
            requestId: { type: "string" },
            errors: { type: "array", items: { type: "object", properties: { path: { type: "string" }, message: { type: "string" } } } },
          },
        },
      },
    },
  };
}
