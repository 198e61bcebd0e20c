// The client address: X-Forwarded-For is believed only from TRUSTED_PROXIES (default none), and the
// peer address comes from the socket (stamped by the server, never by the client).
import http from "node:http";
import { describe, expect, test } from "vitest";
import { clientIpFrom, installPeerAddressHeader, PEER_HEADER } from "./client-ip";

const headers = (h: Record<string, string>) => new Headers(h);

describe("clientIpFrom", () => {
  test("without trusted proxies a forged X-Forwarded-For is ignored", () => {
    expect(clientIpFrom(headers({ "x-forwarded-for": "6.6.6.6", [PEER_HEADER]: "192.0.2.1" }), [])).toBe("192.0.2.1");
    expect(clientIpFrom(headers({ "x-forwarded-for": "6.6.6.6" }), [])).toBeNull();
  });

  test("from a trusted proxy the chain is read from the right, skipping trusted hops", () => {
    const h = headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.9, 10.0.0.7", [PEER_HEADER]: "10.0.0.2" });
    expect(clientIpFrom(h, ["10.0.0.0/8"])).toBe("203.0.113.9");
    // An untrusted peer's header is not believed, even with proxies configured.
    expect(clientIpFrom(headers({ "x-forwarded-for": "6.6.6.6", [PEER_HEADER]: "198.51.100.1" }), ["10.0.0.0/8"])).toBe("198.51.100.1");
    expect(clientIpFrom(headers({ "x-forwarded-for": "not-an-ip, 6.6.6.6", [PEER_HEADER]: "::ffff:10.0.0.2" }), ["10.0.0.2"])).toBe(
      "6.6.6.6",
    );
  });
});

describe("installPeerAddressHeader", () => {
  test("a real server stamps the socket's address and drops a client-sent stamp", async () => {
    installPeerAddressHeader(http);
    const seen: Array<string | string[] | undefined> = [];
    const server = http.createServer((req, res) => {
      seen.push(req.headers[PEER_HEADER]);
      res.end("ok");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    try {
      const port = (server.address() as { port: number }).port;
      await fetch(`http://127.0.0.1:${port}/`, { headers: { [PEER_HEADER]: "6.6.6.6", "x-forwarded-for": "6.6.6.6" } });
      await fetch(`http://127.0.0.1:${port}/`);
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect(seen).toEqual(["127.0.0.1", "127.0.0.1"]);
  });
});
