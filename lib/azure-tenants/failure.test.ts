import { describe, expect, test } from "vitest";
import { AppError } from "@/lib/http/errors";
import { describeAzureFailure } from "./failure";

const refused = () => new AppError("UPSTREAM_UNAVAILABLE", { message: "fetch failed", cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) });
const where = { tenantId: "t", clientId: "c" };

describe("describeAzureFailure", () => {
  test("names each endpoint to check once, when the authority and ARM share a host", () => {
    const same = describeAzureFailure(refused(), { ...where, authorityHost: "https://x.example", armEndpoint: "https://x.example/" });
    expect(same.message).toBe("Nothing answers (connection refused). Check https://x.example.");
  });

  test("names both when they differ", () => {
    const both = describeAzureFailure(refused(), { ...where, authorityHost: "https://login.example", armEndpoint: "https://arm.example" });
    expect(both.message).toBe("Nothing answers (connection refused). Check https://login.example and https://arm.example.");
  });
});
