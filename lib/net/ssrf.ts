import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { AppError } from "@/lib/http/errors";

// SSRF guard for every outbound URL that comes from configuration (ServiceNow instance, Azure
// endpoints, Entra authority). Loopback and private ranges are refused unless explicitly allowed
// (the bundled emulators run on localhost); link-local — which includes cloud metadata endpoints such
// as 169.254.169.254 — and unspecified/multicast addresses are refused always.

const PRIVATE = new BlockList();
PRIVATE.addSubnet("10.0.0.0", 8, "ipv4");
PRIVATE.addSubnet("172.16.0.0", 12, "ipv4");
PRIVATE.addSubnet("192.168.0.0", 16, "ipv4");
PRIVATE.addSubnet("100.64.0.0", 10, "ipv4");
PRIVATE.addSubnet("127.0.0.0", 8, "ipv4");
PRIVATE.addSubnet("fc00::", 7, "ipv6");
PRIVATE.addAddress("::1", "ipv6");

const NEVER = new BlockList();
NEVER.addSubnet("169.254.0.0", 16, "ipv4");
NEVER.addSubnet("0.0.0.0", 8, "ipv4");
NEVER.addSubnet("224.0.0.0", 4, "ipv4");
NEVER.addSubnet("240.0.0.0", 4, "ipv4");
NEVER.addSubnet("fe80::", 10, "ipv6");
NEVER.addSubnet("ff00::", 8, "ipv6");
NEVER.addAddress("::", "ipv6");

function family(address: string): "ipv4" | "ipv6" {
  return isIP(address) === 6 ? "ipv6" : "ipv4";
}

/** IPv4-mapped IPv6 (::ffff:10.0.0.1) is checked as the IPv4 address it carries. */
function normalize(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1] : address;
}

export function classifyAddress(raw: string): "public" | "private" | "forbidden" {
  const address = normalize(raw);
  const f = family(address);
  if (NEVER.check(address, f)) return "forbidden";
  if (PRIVATE.check(address, f)) return "private";
  return "public";
}

export type OutboundCheck = { allowPrivate: boolean; purpose: string; requireHttps?: boolean };

/** Throws VALIDATION with a message naming the purpose when the URL may not be called. */
export async function assertSafeOutboundUrl(rawUrl: string, check: OutboundCheck): Promise<URL> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new AppError("VALIDATION", { message: `${check.purpose}: "${rawUrl}" is not a valid URL` });
  }
  if ((check.requireHttps ?? true) && url.protocol !== "https:") {
    throw new AppError("VALIDATION", { message: `${check.purpose}: only https:// URLs are allowed` });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new AppError("VALIDATION", { message: `${check.purpose}: unsupported scheme ${url.protocol}` });
  }
  if (url.username || url.password) {
    throw new AppError("VALIDATION", { message: `${check.purpose}: credentials in the URL are not allowed` });
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      throw new AppError("VALIDATION", { message: `${check.purpose}: host ${host} could not be resolved` });
    }
  }
  for (const address of addresses) {
    const kind = classifyAddress(address);
    if (kind === "forbidden") {
      throw new AppError("VALIDATION", { message: `${check.purpose}: ${host} resolves to ${address}, a link-local or reserved address` });
    }
    if (kind === "private" && !check.allowPrivate) {
      throw new AppError("VALIDATION", {
        message: `${check.purpose}: ${host} resolves to the private or loopback address ${address}; allow private network access for this connection only if it is a local test instance`,
      });
    }
  }
  return url;
}
