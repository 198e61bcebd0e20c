// The client's address for the audit log (and anything else keyed on it). X-Forwarded-For is believed
// only when the connecting peer is one of TRUSTED_PROXIES (default none); then the chain is read from
// the right, skipping trusted proxies, and the first untrusted address is the client.
//
// Next.js does not hand route handlers the socket's address, and it keeps a client-sent
// X-Forwarded-For as is (it only fills the header in when absent). So the server process stamps every
// incoming request with the peer address in PEER_HEADER, overwriting anything a client sent
// (installPeerAddressHeader, called from instrumentation.ts).
import type { IncomingMessage, Server } from "node:http";
import { BlockList, isIP } from "node:net";

export const PEER_HEADER = "x-posturedesk-peer";

function normalize(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1] : address;
}

function blockListOf(proxies: string[]): BlockList {
  const list = new BlockList();
  for (const entry of proxies) {
    const [address, bits] = entry.split("/");
    const type = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return list;
}

function isTrusted(address: string, list: BlockList): boolean {
  const a = normalize(address);
  const kind = isIP(a);
  if (!kind) return false;
  return list.check(a, kind === 6 ? "ipv6" : "ipv4");
}

/** The client address of a request, given the trusted proxies; null when unknown. */
export function clientIpFrom(headers: Headers, trustedProxies: string[]): string | null {
  const peerRaw = headers.get(PEER_HEADER)?.trim();
  const peer = peerRaw && isIP(normalize(peerRaw)) ? normalize(peerRaw) : null;
  if (!peer) return null;
  if (trustedProxies.length === 0) return peer;
  const list = blockListOf(trustedProxies);
  if (!isTrusted(peer, list)) return peer;
  const chain = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  let client = peer;
  for (let i = chain.length - 1; i >= 0; i--) {
    const hop = normalize(chain[i].replace(/^\[|\]$/g, ""));
    if (!isIP(hop)) break;
    client = hop;
    if (!isTrusted(hop, list)) break;
  }
  return client.slice(0, 64);
}

const INSTALLED = Symbol.for("posturedesk.peerHeader");

/**
 * Makes every HTTP server of this process stamp requests with their peer address (PEER_HEADER),
 * replacing whatever the client sent under that name. Idempotent.
 */
export function installPeerAddressHeader(http: { Server: typeof Server }): void {
  const proto = http.Server.prototype as Server & { [INSTALLED]?: boolean };
  if (proto[INSTALLED]) return;
  const original = proto.emit;
  proto.emit = function emit(this: Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const req = args[0] as IncomingMessage;
      // rawHeaders too: some frameworks rebuild headers from it.
      delete req.headers[PEER_HEADER];
      for (let i = req.rawHeaders.length - 2; i >= 0; i -= 2) {
        if (req.rawHeaders[i].toLowerCase() === PEER_HEADER) req.rawHeaders.splice(i, 2);
      }
      const address = req.socket?.remoteAddress;
      if (address) {
        req.headers[PEER_HEADER] = address;
        req.rawHeaders.push(PEER_HEADER, address);
      }
    }
    return (original as (...a: unknown[]) => boolean).apply(this, [event, ...args]);
  } as typeof proto.emit;
  proto[INSTALLED] = true;
}

/** installPeerAddressHeader for node:http, loaded here so that instrumentation.ts names no Node module. */
export async function installPeerAddressHeaderOnHttpServers(): Promise<void> {
  installPeerAddressHeader(await import("node:http"));
}
