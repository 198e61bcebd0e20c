// Where sign-in may send the browser back to: only paths on the app's own origin. The URL parser drops
// tab, CR and LF and reads "\" as "/", so each of these would otherwise turn into //evil.example.
import { describe, expect, test } from "vitest";
import { safeReturnTo } from "./auth-state";

const APP = "https://posturedesk.contoso.example";

describe("safeReturnTo", () => {
  test.each([
    "/\t/evil.example/phish",
    "/\n/evil.example",
    "/\r/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "/a\\..\\..\\/evil.example",
    "//evil.example",
    "///evil.example",
    "https://evil.example/",
    "/%09/evil.example/ok-but-encoded\u0000",
    "/x\u0085y",
    "javascript:alert(1)",
    "evil.example",
    "/api/auth/logout",
    "/signin",
    "/signin?returnTo=/x",
    "/" + "a".repeat(2001),
  ])("%j becomes /", (value) => {
    expect(safeReturnTo(value, APP)).toBe("/");
  });

  test.each([
    ["/tickets?state=open", "/tickets?state=open"],
    ["/recommendations/abc#findings", "/recommendations/abc#findings"],
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
    ["/signed-in-elsewhere", "/signed-in-elsewhere"],
    ["/a/../tickets", "/tickets"],
  ])("%j stays on the app (%j)", (value, expected) => {
    const result = safeReturnTo(value, APP);
    expect(result).toBe(expected);
    expect(new URL(result, APP).origin).toBe(APP);
  });
});
