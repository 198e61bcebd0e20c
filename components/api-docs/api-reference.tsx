import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { type OpenApiDocument } from "@/lib/openapi/document";

const METHOD_TONE: Record<string, BadgeTone> = { get: "info", post: "success", put: "warning", patch: "warning", delete: "danger" };

type Param = { name: string; in: string; required?: boolean; schema?: Record<string, unknown> };
type Op = {
  summary: string;
  description: string;
  tags: string[];
  parameters: Param[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, unknown>;
};

function typeOf(schema: Record<string, unknown> | undefined): string {
  if (!schema) return "string";
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).map(String).join(" | ");
  if (schema.type === "array") return `${typeOf(schema.items as Record<string, unknown>)}[]`;
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Array<Record<string, unknown>>).map(typeOf).join(" | ");
  return String(schema.type ?? (schema.format ? schema.format : "any"));
}

/** A readable rendering of the OpenAPI document, grouped by area. */
export function ApiReference({ doc }: { doc: OpenApiDocument }) {
  const byTag = new Map<string, Array<{ path: string; method: string; op: Op }>>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const o = op as unknown as Op;
      const list = byTag.get(o.tags[0]) ?? [];
      list.push({ path, method, op: o });
      byTag.set(o.tags[0], list);
    }
  }
  return (
    <div className="space-y-6">
      <nav aria-label="API areas" className="flex flex-wrap gap-2 text-sm">
        {[...byTag.keys()].sort().map((tag) => (
          <a key={tag} href={`#${tag}`} className="rounded border border-border bg-surface px-2 py-1 hover:border-accent">
            {tag}
          </a>
        ))}
      </nav>
      {[...byTag.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([tag, ops]) => (
          <Card key={tag} aria-labelledby={`${tag}-heading`}>
            <h2 id={`${tag}-heading`} className="border-b border-border px-4 py-3 text-sm font-semibold">
              <span id={tag}>{tag}</span>
            </h2>
            <ul className="divide-y divide-border">
              {ops.map(({ path, method, op }) => (
                <li key={`${method} ${path}`} className="px-4 py-3">
                  <details>
                    <summary className="flex cursor-pointer flex-wrap items-center gap-2">
                      <Badge tone={METHOD_TONE[method] ?? "neutral"} className="w-14 justify-center font-mono uppercase">
                        {method}
                      </Badge>
                      <code className="font-mono text-sm">{path}</code>
                      <span className="text-sm text-muted">{op.summary !== `${method.toUpperCase()} ${path}` ? op.summary : ""}</span>
                    </summary>
                    <div className="mt-3 space-y-3 pl-16 text-sm">
                      <p className="text-muted">{op.description}</p>
                      {op.parameters.length ? (
                        <table className="w-full text-left text-xs">
                          <caption className="sr-only">Parameters</caption>
                          <thead className="text-muted">
                            <tr>
                              <th className="py-1 pr-3 font-medium">Parameter</th>
                              <th className="py-1 pr-3 font-medium">In</th>
                              <th className="py-1 pr-3 font-medium">Type</th>
                              <th className="py-1 font-medium">Required</th>
                            </tr>
                          </thead>
                          <tbody>
                            {op.parameters.map((p) => (
                              <tr key={`${p.in}-${p.name}`}>
                                <td className="py-1 pr-3 font-mono">{p.name}</td>
                                <td className="py-1 pr-3">{p.in}</td>
                                <td className="py-1 pr-3 font-mono">{typeOf(p.schema)}</td>
                                <td className="py-1">{p.required ? "yes" : "no"}</td>
                              </tr>
                            ))}
                          </tbody>
                        </table>
                      ) : null}
                      {op.requestBody ? (
                        <div>
                          <p className="mb-1 text-xs font-medium">Request body (application/json)</p>
                          <pre className="max-h-80 overflow-auto rounded border border-border bg-surface-2 p-2 text-xs">
                            {JSON.stringify(op.requestBody.content["application/json"].schema, null, 2)}
                          </pre>
                        </div>
                      ) : null}
                      <p className="text-xs text-muted">Responses: {Object.keys(op.responses).join(", ")}</p>
                    </div>
                  </details>
                </li>
              ))}
            </ul>
          </Card>
        ))}
    </div>
  );
}
