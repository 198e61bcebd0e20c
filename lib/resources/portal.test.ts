import { describe, expect, test } from "vitest";
import { portalHostFor, resourcePortalUrl } from "./portal";
import { resourceHref, resourceIdOfSegments, ZResourceParams } from "@/lib/schemas/resources";
import { expectCases } from "@/test/cases";

const VM = "/subscriptions/0000-1/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/vm-01";

describe("resourcePortalUrl", () => {
  test("returns the resource's own blade in its tenant", () => {
    expect(resourcePortalUrl(VM, "11111111-2222-3333-4444-555555555555", "https://management.azure.com")).toBe(
      `https://portal.azure.com/#@11111111-2222-3333-4444-555555555555/resource${VM}`,
    );
  });
  test("returns the portal of a sovereign cloud, and the public portal for emulators or unknown endpoints", () => {
    expectCases(portalHostFor, [
      ["https://management.usgovcloudapi.net/", "https://portal.azure.us"],
      ["https://management.chinacloudapi.cn", "https://portal.azure.cn"],
      ["https://localhost:8443", "https://portal.azure.com"],
      ["not a url", "https://portal.azure.com"],
    ]);
  });
});

describe("resourceHref", () => {
  test("round-trips an ARM id through the page path segments", () => {
    const href = resourceHref(`${VM} (2)`);
    expect(href).toBe("/resources/subscriptions/0000-1/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/vm-01%20(2)");
    const segments = href.slice("/resources/".length).split("/").map(decodeURIComponent);
    expect(resourceIdOfSegments(segments)).toBe(`${VM} (2)`);
  });
  test("accepts only ids that start with subscriptions/", () => {
    expect(ZResourceParams.safeParse({ id: ["subscriptions", "x"] }).success).toBe(true);
    expect(ZResourceParams.safeParse({ id: ["providers", "x"] }).success).toBe(false);
    expect(ZResourceParams.safeParse({ id: ["subscriptions"] }).success).toBe(false);
  });
});

describe("resourcePortalUrl of an AWS or GCP resource", () => {
  test("opens the security connector the resource is assessed through (its entity has no blade of its own)", () => {
    const connector =
      "/subscriptions/s1/resourcegroups/rg-mc/providers/Microsoft.Security/securityconnectors/0b0c1d2e-0000-4000-8000-000000000001";
    expect(resourcePortalUrl(`${connector}/securityentitydata/aws-s3-bucket-logs-us-east-1`, "t1")).toBe(
      `https://portal.azure.com/#@t1/resource${connector}`,
    );
    expect(
      resourcePortalUrl(`${connector}/securityentitydata/aws-s3-bucket-logs-us-east-1`, "t1", "https://management.usgovcloudapi.net"),
    ).toBe(`https://portal.azure.us/#@t1/resource${connector}`);
  });
});
