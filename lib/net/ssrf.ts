import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { AppError } from "@/lib/http/errors";

// SSRF guard for every outbound URL that comes from configuration (ServiceNow instance, Azure
// endpoints, Entra authority). Loopback and private ranges are refused unless explicitly allowed
// (the bundled emulators run on localhost); link-local — which includes cloud metadata endpoints such
// as 169.254.169.254 — unspecified/multicast/reserved addresses and every known cloud metadata address
// (also those inside private ranges, e.g. fd00:ec2::254, 100.100.100.200) are refused always. An IPv6
// address that carries an IPv4 one (IPv4-mapped, IPv4-compatible, NAT64, 6to4, Teredo) is classified
// by the address it carries as well as by its own range: the stricter answer wins.

/** A BlockList of space-separated CIDR ranges ("10.0.0.0/8") and single addresses ("::1"). */
function blockList(...groups: string[]): BlockList {
  const list = new BlockList();
  for (const entry of groups.join(" ").split(/\s+/).filter(Boolean)) {
    const [address = "", prefix] = entry.split("/");
    if (prefix === undefined) list.addAddress(address, family(address));
    else list.addSubnet(address, Number(prefix), family(address));
  }
  return list;
}

const PRIVATE = blockList(
  "10.0.0.0/8 172.16.0.0/12 192.168.0.0/16 100.64.0.0/10 127.0.0.0/8",
  // Special-use, not globally routable: IETF protocol assignments and the benchmarking range.
  "192.0.0.0/24 198.18.0.0/15",
  "fc00::/7 ::1",
);

const NEVER = blockList(
  "169.254.0.0/16 0.0.0.0/8 224.0.0.0/4 240.0.0.0/4",
  // Documentation ranges (TEST-NET-1..3, 2001:db8::/32): never a real service.
  "192.0.2.0/24 198.51.100.0/24 203.0.113.0/24 2001:db8::/32",
  "fe80::/10 fec0::/10 ff00::/8 ::",
);
// Cloud metadata and credential endpoints, including the ones inside ranges otherwise "private":
// AWS (169.254.169.254, fd00:ec2::254; ECS task credentials 169.254.170.2), Azure and GCP
// (169.254.169.254, GCP IPv6 fd20:ce::254), Alibaba Cloud (100.100.100.200), Oracle Cloud legacy
// (192.0.0.192).
export const METADATA_ADDRESSES = [
  "169.254.169.254",
  "169.254.170.2",
  "100.100.100.200",
  "192.0.0.192",
  "fd00:ec2::254",
  "fd20:ce::254",
] as const;
for (const address of METADATA_ADDRESSES) NEVER.addAddress(address, family(address));

function family(address: string): "ipv4" | "ipv6" {
  return isIP(address) === 6 ? "ipv6" : "ipv4";
}

/** The 16 bytes of an IPv6 address (also with an embedded dotted quad), or null. */
function ipv6Bytes(address: string): number[] | null {
  let text = address.toLowerCase().replace(/%.*$/, "");
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const q = dotted[1].split(".").map(Number);
    if (q.some((n) => n > 255)) return null;
    text = `${text.slice(0, -dotted[1].length)}${((q[0] << 8) | q[1]).toString(16)}:${((q[2] << 8) | q[3]).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]);
}

const v4 = (b: number[]) => b.join(".");
const zeros = (b: number[], from: number, to: number) => b.slice(from, to).every((x) => x === 0);

/** The IPv4 address an IPv6 address carries, if it is one of the transition forms. */
export function embeddedIpv4(address: string): string | null {
  if (isIP(address) !== 6) return null;
  const b = ipv6Bytes(address);
  if (!b) return null;
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible; :: and ::1 themselves excluded)
  if (zeros(b, 0, 10) && b[10] === 0xff && b[11] === 0xff) return v4(b.slice(12));
  if (zeros(b, 0, 12) && !zeros(b, 12, 15)) return v4(b.slice(12));
  // NAT64: 64:ff9b::/96 (RFC 6052) and 64:ff9b:1::/48 (RFC 8215), address in the last 32 bits
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && (zeros(b, 4, 12) || (b[4] === 0 && b[5] === 1)))
    return v4(b.slice(12));
  // 6to4: 2002:AABB:CCDD::/48
  if (b[0] === 0x20 && b[1] === 0x02) return v4(b.slice(2, 6));
  // Teredo: 2001:0::/32, client address inverted in the last 32 bits
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0 && b[3] === 0) return v4(b.slice(12).map((x) => x ^ 0xff));
  return null;
}

type Kind = "public" | "private" | "forbidden";
const SEVERITY: Record<Kind, number> = { public: 0, private: 1, forbidden: 2 };

function classifyOne(address: string): Kind {
  const f = family(address);
  if (NEVER.check(address, f)) return "forbidden";
  if (PRIVATE.check(address, f)) return "private";
  return "public";
}

export function classifyAddress(raw: string): Kind {
  const address = raw.replace(/^\[|\]$/g, "");
  if (!isIP(address)) return "forbidden";
  const own = classifyOne(address);
  const carried = embeddedIpv4(address);
  if (!carried) return own;
  const inner = classifyOne(carried);
  return SEVERITY[inner] > SEVERITY[own] ? inner : own;
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
      throw new AppError("VALIDATION", {
        message: `${check.purpose}: ${host} resolves to ${address}, a link-local, reserved or cloud metadata address`,
      });
    }
    if (kind === "private" && !check.allowPrivate) {
      throw new AppError("VALIDATION", {
        message: `${check.purpose}: ${host} resolves to the private or loopback address ${address}; allow private network access for this connection only if it is a local test instance`,
      });
    }
  }
  return url;
}
