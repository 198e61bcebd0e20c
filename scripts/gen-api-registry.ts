// npm run gen:api — regenerates lib/openapi/openapi.generated.json from the app/api tree: loads every route
// module, reads the metadata its handlers carry (lib/http/route.ts) and builds the OpenAPI document
// (lib/openapi/document.ts). lib/openapi/openapi.test.ts fails when the committed file is out of date.
// Scripts may import app/; lib/ may not (docs/ARCHITECTURE.md, "Boundaries").
import { readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type ApiRouteEntry, buildOpenApiDocument, type OpenApiDocument } from "@/lib/openapi/document";

const root = path.resolve(__dirname, "..");
export const OPENAPI_FILE = path.join(root, "lib", "openapi", "openapi.generated.json");

/** Route directories under app/api (`connections/[id]`), sorted. */
export function apiRouteFiles(): string[] {
  const base = path.join(root, "app", "api");
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry === "route.ts") out.push(path.relative(base, path.dirname(full)).split(path.sep).join("/"));
    }
  };
  walk(base);
  return out.sort();
}

/** Every route module with its OpenAPI path (`[id]` → `{id}`). */
export async function loadApiRoutes(): Promise<ApiRouteEntry[]> {
  const out: ApiRouteEntry[] = [];
  for (const dir of apiRouteFiles()) {
    const mod = (await import(path.join(root, "app", "api", dir, "route.ts"))) as Record<string, unknown>;
    out.push({ path: `/api/${dir.replace(/\[(\w+)\]/g, "{$1}")}`, module: mod });
  }
  return out;
}

export function renderDocument(doc: OpenApiDocument): string {
  return JSON.stringify(doc, null, 2) + "\n";
}

if (require.main === module) {
  void (async () => {
    const routes = await loadApiRoutes();
    writeFileSync(OPENAPI_FILE, renderDocument(buildOpenApiDocument(routes)));
    console.log(`wrote lib/openapi/openapi.generated.json (${routes.length} route files)`);
    process.exit(0);
  })();
}
