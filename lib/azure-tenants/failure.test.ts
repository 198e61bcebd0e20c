// "Test connection" of an Azure tenant shows our own message per failure class, with at most a short
// sanitised excerpt of ARM's documented error — never other fields of an arbitrary JSON body.
import { RestError } from "@azure/core-rest-pipeline";
import { describe, expect, test } from "vitest";
import { toAzureAppError } from "@/lib/azure/errors";
import { AppError } from "@/lib/http/errors";
import { describeAzureFailure } from "./failure";

const WHERE = {
  authorityHost: "https://login.microsoftonline.com",
  armEndpoint: "https://management.azure.com",
  tenantId: "t",
  clientId: "c",
};

function armFailure(status: number, body: unknown): AppError {
  const rest = new RestError("request failed", {
    statusCode: status,
    response: { status, bodyAsText: JSON.stringify(body), headers: { get: () => undefined } } as never,
  });
  return toAzureAppError(rest, "assessments list");
}

describe("describeAzureFailure", () => {
  test("ARM's documented error: our message first, then a short excerpt", () => {
    const { kind, message } = describeAzureFailure(
      armFailure(403, { error: { code: "AuthorizationFailed", message: "The client does not have authorization." } }),
      WHERE,
    );
    expect(kind).toBe("forbidden");
    expect(message).toBe(
      'Signed in, but not allowed (HTTP 403). Grant the service principal the Security Reader role on the subscriptions to ingest. Azure said: "AuthorizationFailed: The client does not have authorization."',
    );
  });

  test("a hostile body: no markup, no other fields, bounded length", () => {
    for (const status of [400, 401, 403, 404, 409]) {
      const body = {
        error: { code: "<script>x</script>", message: `Denied\u0000 ${"B".repeat(400)}` },
        leaked: "FIELD-FROM-THE-BODY",
        details: [{ message: "NESTED-FIELD" }],
      };
      const { message } = describeAzureFailure(armFailure(status, body), WHERE);
      expect(message).not.toMatch(/<|>|FIELD-FROM-THE-BODY|\u0000/);
      expect(message.length).toBeLessThan(320);
    }
    const arbitrary = describeAzureFailure(armFailure(400, { message: "FIELD-FROM-THE-BODY", secret: "S" }), WHERE).message;
    expect(arbitrary).toBe("Azure rejected the request (HTTP 400).");
  });

  test("our own refusals (SSRF guard) inside another error are shown as configuration problems", () => {
    const refusal = new AppError("VALIDATION", { message: "Entra ID authority: https://127.0.0.1:1 is not the authority's origin" });
    const wrapped = Object.assign(new Error("network_error"), { errorCode: "network_error", cause: refusal });
    expect(describeAzureFailure(wrapped, WHERE)).toEqual({ kind: "config", message: refusal.userMessage });
  });
});

const refused = () =>
  new AppError("UPSTREAM_UNAVAILABLE", {
    message: "fetch failed",
    cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
  });
const where = { tenantId: "t", clientId: "c" };

describe("describeAzureFailure: endpoints named in messages", () => {
  test("names each endpoint to check once, when the authority and ARM share a host", () => {
    const same = describeAzureFailure(refused(), { ...where, authorityHost: "https://x.example", armEndpoint: "https://x.example/" });
    expect(same.message).toBe("Nothing answers (connection refused). Check https://x.example.");
  });

  test("names both when they differ", () => {
    const both = describeAzureFailure(refused(), { ...where, authorityHost: "https://login.example", armEndpoint: "https://arm.example" });
    expect(both.message).toBe("Nothing answers (connection refused). Check https://login.example and https://arm.example.");
  });
});
