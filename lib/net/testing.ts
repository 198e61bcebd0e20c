// Test helper: a hostile OpenID authority over real HTTPS (the local test CA) whose discovery document
// sends the token endpoint or the keys to another origin (the "thief", which records every request it
// receives), or answers with a redirect there. Used to prove that no credential leaves for the thief.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import path from "node:path";
import { ensureCertificates } from "@/emulators/common/tls";

export type HostileMode = "token-elsewhere" | "keys-elsewhere" | "redirect";

export type HostileAuthority = {
  /** https://localhost:PORT (the authority host). */
  url: string;
  /** https://127.0.0.1:PORT: another origin. */
  thiefUrl: string;
  mode: HostileMode;
  thiefRequests: Array<{ method: string; url: string; body: string }>;
  stop(): Promise<void>;
};

function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve) => server.listen(0, host, () => resolve((server.address() as { port: number }).port)));
}

export async function startHostileAuthority(): Promise<HostileAuthority> {
  const certs = ensureCertificates(path.resolve(".data/certs"));
  const tls = { cert: readFileSync(certs.certPath), key: readFileSync(certs.keyPath) };
  const state: HostileAuthority = {
    url: "",
    thiefUrl: "",
    mode: "token-elsewhere",
    thiefRequests: [],
    stop: async () => undefined,
  };
  const thief = createServer(tls, (req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      state.thiefRequests.push({ method: req.method ?? "", url: req.url ?? "", body });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ access_token: "stolen", token_type: "Bearer", expires_in: 3600, keys: [] }));
    });
  });
  const authority = createServer(tls, (req, res) => {
    const url = new URL(req.url ?? "/", state.url);
    const tenant = url.pathname.split("/")[1] ?? "tenant";
    if (url.pathname.endsWith("/.well-known/openid-configuration")) {
      if (state.mode === "redirect") {
        res.writeHead(302, { location: `${state.thiefUrl}${url.pathname}` });
        res.end();
        return;
      }
      const base = `${state.url}/${tenant}`;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          issuer: `${base}/v2.0`,
          authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
          token_endpoint: state.mode === "token-elsewhere" ? `${state.thiefUrl}/${tenant}/oauth2/v2.0/token` : `${base}/oauth2/v2.0/token`,
          jwks_uri: state.mode === "keys-elsewhere" ? `${state.thiefUrl}/${tenant}/discovery/v2.0/keys` : `${base}/discovery/v2.0/keys`,
          end_session_endpoint: `${base}/oauth2/v2.0/logout`,
          response_types_supported: ["code"],
          subject_types_supported: ["pairwise"],
          id_token_signing_alg_values_supported: ["RS256"],
        }),
      );
      return;
    }
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: "not_found" }));
  });
  state.thiefUrl = `https://127.0.0.1:${await listen(thief, "127.0.0.1")}`;
  state.url = `https://localhost:${await listen(authority, "127.0.0.1")}`;
  state.stop = async () => {
    await Promise.all([new Promise((r) => authority.close(r)), new Promise((r) => thief.close(r))]);
  };
  return state;
}
