// The SSRF classifier: every way an IPv6 address can carry an IPv4 one is classified by the address
// it carries, special-use ranges are not "public", and cloud metadata endpoints are refused always.
import { describe, expect, test } from "vitest";
import { assertSafeOutboundUrl, classifyAddress } from "./ssrf";

describe("classifyAddress", () => {
  test.each([
    // NAT64 (RFC 6052 well-known prefix and the local-use prefix of RFC 8215)
    ["64:ff9b::127.0.0.1", "private"],
    ["64:ff9b::7f00:1", "private"],
    ["64:ff9b::a9fe:a9fe", "forbidden"],
    ["64:ff9b:1::a00:1", "private"],
    // IPv4-compatible (deprecated, still parsed)
    ["::127.0.0.1", "private"],
    ["::169.254.169.254", "forbidden"],
    ["::10.0.0.1", "private"],
    // IPv4-mapped, dotted and hex forms (the URL parser writes the hex form)
    ["::ffff:127.0.0.1", "private"],
    ["::ffff:7f00:1", "private"],
    ["::ffff:a9fe:a9fe", "forbidden"],
    // 6to4 wrapping a forbidden or private address
    ["2002:a9fe:a9fe::", "forbidden"],
    ["2002:7f00:1::1", "private"],
    ["2002:c0a8:0101::", "private"],
    // Teredo: the client address is stored inverted in the last 32 bits
    ["2001:0:4136:e378:8000:63bf:5601:5601", "forbidden"],
    // special-use IPv4
    ["198.18.0.1", "private"],
    ["198.19.255.254", "private"],
    // metadata endpoints, always refused even where private ranges are allowed
    ["169.254.169.254", "forbidden"],
    ["169.254.170.2", "forbidden"],
    ["fd00:ec2::254", "forbidden"],
    ["fd20:ce::254", "forbidden"],
    ["100.100.100.200", "forbidden"],
    ["192.0.0.192", "forbidden"],
    ["64:ff9b::6464:64c8", "forbidden"],
    ["::ffff:100.100.100.200", "forbidden"],
    // still what they were
    ["8.8.8.8", "public"],
    ["2606:4700::1111", "public"],
    ["127.0.0.1", "private"],
    ["::1", "private"],
    ["::", "forbidden"],
    ["fe80::1", "forbidden"],
    ["fd00::1", "private"],
  ] as const)("%s is %s", (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });
});

describe("assertSafeOutboundUrl", () => {
  test("metadata endpoints are refused even when private networks are allowed", async () => {
    for (const url of [
      "https://100.100.100.200/latest/meta-data",
      "https://[fd00:ec2::254]/latest",
      "https://[64:ff9b::a9fe:a9fe]/",
      "https://[::ffff:169.254.169.254]/",
    ]) {
      await expect(assertSafeOutboundUrl(url, { allowPrivate: true, purpose: "test" }), url).rejects.toThrow(
        /link-local|reserved|metadata/,
      );
    }
  });
  test("loopback stays allowed for the local emulators when private networks are allowed", async () => {
    await expect(assertSafeOutboundUrl("https://127.0.0.1:8443/x", { allowPrivate: true, purpose: "test" })).resolves.toBeInstanceOf(URL);
    await expect(assertSafeOutboundUrl("https://[64:ff9b::7f00:1]/", { allowPrivate: false, purpose: "test" })).rejects.toThrow(
      /private or loopback/,
    );
  });
});
