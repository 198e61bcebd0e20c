// Test support (never imported by product code): an HTTPS proxy in front of the ARM emulator that
// rewrites chosen items of assessment listings (ARM pages and Resource Graph rows) the way a misbehaving
// API might — so ingestion's tolerance is tested through the real SDK, MSAL token and wire format.
// It serves the emulators' own certificate (.data/certs), so the test process already trusts it, and
// forwards the Host header it received, so the emulator builds nextLinks that point back at the proxy.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import { request as httpsRequest } from "node:https";
import { type AddressInfo } from "node:net";
import { ensureCertificates } from "@/emulators/common/tls";

export type Corruption = (item: Record<string, unknown>, index: number) => unknown;

export type CorruptingProxy = { url: string; stop(): Promise<void> };

/**
 * Which items are rewritten: `assessments` (default) — ARM assessment pages and Resource Graph assessment rows;
 * `resources` — Resource Graph rows that are not assessments (e.g. `resources | project id, tags`).
 */
export type CorruptionTarget = "assessments" | "resources";

/** Rows without a type are told apart by `properties` (assessments carry them; `project id, tags` rows do not). */
const isAssessment = (r: Record<string, unknown>) =>
  "type" in r ? String(r.type).toLowerCase() === "microsoft.security/assessments" : "properties" in r;
const isSecurityRow = (r: Record<string, unknown>) =>
  "type" in r ? String(r.type).toLowerCase().startsWith("microsoft.security/") : "properties" in r;

/** `corrupt(item, i)` is applied to the target items of the first page of every listing (return the replacement). */
export async function startCorruptingProxy(
  targetUrl: string,
  corrupt: Corruption,
  options: { target?: CorruptionTarget } = {},
): Promise<CorruptingProxy> {
  const target = options.target ?? "assessments";
  const certs = ensureCertificates(".data/certs");
  const upstreamUrl = new URL(targetUrl);
  const server: Server = createServer({ cert: readFileSync(certs.certPath), key: readFileSync(certs.keyPath) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const upstream = httpsRequest(
        {
          hostname: upstreamUrl.hostname,
          port: upstreamUrl.port,
          path: req.url,
          method: req.method,
          headers: { ...req.headers, host: req.headers.host },
        },
        (up) => {
          const parts: Buffer[] = [];
          up.on("data", (c: Buffer) => parts.push(c));
          up.on("end", () => {
            let out = Buffer.concat(parts);
            const path = (req.url ?? "").toLowerCase();
            const isGraph = path.startsWith("/providers/microsoft.resourcegraph/resources");
            // Resource Graph queries of other security types (secure scores, compliance — read alongside the
            // assessment pass) are left alone: only the assessments query's rows are its "listing".
            const isAssessmentQuery = /type\s*==\s*\\?"microsoft\.security\/assessments\\?"/i.test(body.toString());
            const isListing =
              target === "assessments"
                ? path.includes("/providers/microsoft.security/assessments?") || (isGraph && isAssessmentQuery)
                : isGraph;
            const isFirstPage = !path.includes("skiptoken") && !body.toString().includes("$skipToken");
            if (up.statusCode === 200 && isListing && isFirstPage) {
              const json = JSON.parse(out.toString()) as { value?: Record<string, unknown>[]; data?: Record<string, unknown>[] };
              const list = json.value ?? json.data;
              if (Array.isArray(list)) {
                const rows = list.filter(
                  (r) => typeof r === "object" && r !== null && (target === "assessments" ? isAssessment(r) : !isSecurityRow(r)),
                );
                try {
                  rows.forEach((item, i) => {
                    list[list.indexOf(item)] = corrupt(structuredClone(item), i) as Record<string, unknown>;
                  });
                } catch (error) {
                  // A broken rewrite must fail the test visibly, not leave the client waiting for an answer.
                  res.writeHead(502, { "content-type": "text/plain" });
                  res.end(`corrupting proxy: the rewrite threw ${String(error)}`);
                  return;
                }
                out = Buffer.from(JSON.stringify(json));
              }
            }
            const headers = { ...up.headers, "content-length": String(out.length) };
            res.writeHead(up.statusCode ?? 502, headers);
            res.end(out);
          });
        },
      );
      upstream.on("error", () => {
        res.writeHead(502);
        res.end();
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://localhost:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
