import { describe, expect, test } from "vitest";
import { AppError } from "@/lib/http/errors";
import { parseServiceNowError, serviceNowHttpError } from "@/lib/servicenow/errors";
import { describeServiceNowFailure } from "./failure";

const URL = "https://acme.service-now.com";
const network = (code: string) =>
  new AppError("UPSTREAM_UNAVAILABLE", {
    message: "ServiceNow could not be reached (GET x)",
    cause: Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("x"), { code }) }),
  });

describe("describeServiceNowFailure", () => {
  test.each([
    ["ECONNREFUSED", "unreachable", "connection refused"],
    ["ENOTFOUND", "unreachable", "could not be resolved"],
    ["SELF_SIGNED_CERT_IN_CHAIN", "tls", "NODE_EXTRA_CA_CERTS"],
  ])("names %s", (code, kind, text) => {
    const d = describeServiceNowFailure(network(code), URL);
    expect(d.kind).toBe(kind);
    expect(d.message).toContain(text);
  });

  test("tells a wrong password from a refused OAuth client", () => {
    expect(
      describeServiceNowFailure(
        new AppError("UPSTREAM_AUTH", { message: "ServiceNow answered 401 to GET sys_user: User Not Authenticated" }),
        URL,
      ).message,
    ).toContain("user name or password");
    expect(
      describeServiceNowFailure(
        new AppError("UPSTREAM_AUTH", {
          message: "ServiceNow refused the OAuth credentials (client id/secret or user name/password)",
          details: { authMode: "oauth" },
        }),
        URL,
      ).message,
    ).toContain("OAuth");
  });

  test("explains a redirect, a rate limit, a server error and a timeout", () => {
    const redirect = new AppError("UPSTREAM_BAD_REQUEST", { message: "x", details: { status: 302 } });
    expect(describeServiceNowFailure(redirect, URL)).toMatchObject({ kind: "redirect", message: expect.stringContaining("hibernating") });
    const limited = new AppError("UPSTREAM_RATE_LIMITED", { message: "x", retryAfterSeconds: 120 });
    expect(describeServiceNowFailure(limited, URL).message).toContain("120 s");
    const down = new AppError("UPSTREAM_UNAVAILABLE", { message: "x", details: { status: 503 } });
    expect(describeServiceNowFailure(down, URL)).toMatchObject({ kind: "server", message: expect.stringContaining("503") });
    const slow = new AppError("UPSTREAM_UNAVAILABLE", {
      message: "ServiceNow timed out (GET x)",
      cause: Object.assign(new Error("t"), { name: "TimeoutError" }),
    });
    expect(describeServiceNowFailure(slow, URL).kind).toBe("timeout");
  });

  test("our own message per failure class, with at most a short sanitised excerpt of ServiceNow's error message; never crashes on foreign errors", () => {
    const acl = serviceNowHttpError(
      parseServiceNowError(403, JSON.stringify({ error: { message: "Operation Failed: ACL", detail: null }, status: "failure" })),
      { method: "GET", target: "incident" },
    );
    expect(describeServiceNowFailure(acl, URL).message).toBe(
      'Signed in, but not allowed: ServiceNow refused the request (HTTP 403; an ACL or a missing role). ServiceNow said: "Operation Failed: ACL"',
    );
    expect(describeServiceNowFailure(new Error("boom"), URL).kind).toBe("unknown");
  });

  test("a hostile error body: no markup, no detail, no other fields, a bounded excerpt", () => {
    const body = JSON.stringify({
      error: { message: `<img src=x onerror=alert(1)>Denied\u0007 ${"A".repeat(500)}`, detail: "DETAIL-WITH-INTERNALS" },
      internal: { password: "FIELD-FROM-THE-BODY" },
      status: "failure",
    });
    for (const status of [400, 403, 404, 409]) {
      const error = serviceNowHttpError(parseServiceNowError(status, body), { method: "GET", target: "incident" });
      const { message } = describeServiceNowFailure(error, URL);
      expect(message).not.toMatch(/<|>|onerror=alert\(|DETAIL-WITH-INTERNALS|FIELD-FROM-THE-BODY|\u0007/);
      expect(message.length).toBeLessThan(260);
      expect(message).toMatch(/^(Signed in, but not allowed|ServiceNow (rejected|answered))/);
    }
    // A body that is not ServiceNow's error shape: only our words.
    const other = serviceNowHttpError(parseServiceNowError(400, JSON.stringify({ message: "FIELD-FROM-THE-BODY" })), {
      method: "GET",
      target: "incident",
    });
    expect(describeServiceNowFailure(other, URL).message).toBe("ServiceNow rejected the request (HTTP 400).");
  });
});
