// The cloud of an Azure tenant connection: what follows from it (endpoints, token audience), custom
// endpoints, Azure operated by 21Vianet refused with the reason, and the update rules.
import { describe, expect, test } from "vitest";
import { resolveCloudUpdate } from "@/lib/azure-tenants/cloud-update";
import { ZCreateAzureTenant, ZUpdateAzureTenant } from "@/lib/schemas/azure-tenants";
import { armScopeOf, CHINA_CLOUD_REFUSAL, cloudOfEndpoints } from "./clouds";

// What Microsoft documents for each cloud, written out here rather than read from the code under test.
const PUBLIC = {
  authorityHost: "https://login.microsoftonline.com",
  armEndpoint: "https://management.azure.com",
  armAudience: "https://management.azure.com",
};
const USGOV = {
  authorityHost: "https://login.microsoftonline.us",
  armEndpoint: "https://management.usgovcloudapi.net",
  armAudience: "https://management.usgovcloudapi.net",
};

const base = {
  name: "Contoso",
  tenantId: "11111111-2222-3333-4444-555555555555",
  clientId: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
  clientSecret: "s3cret",
};

describe("ZCreateAzureTenant cloud", () => {
  test("defaults to Azure public: its authority, Resource Manager endpoint and audience", () => {
    expect(ZCreateAzureTenant.parse(base)).toMatchObject({ cloud: "public", ...PUBLIC });
  });

  test("usgov takes Azure US Government's authority, endpoint and audience", () => {
    expect(ZCreateAzureTenant.parse({ ...base, cloud: "usgov" })).toMatchObject(USGOV);
  });

  test("a cloud's endpoints may be overridden (proxy, emulator) but its audience may not", () => {
    const parsed = ZCreateAzureTenant.parse({ ...base, cloud: "usgov", armEndpoint: "https://arm-proxy.contoso.example:8443/" });
    expect(parsed).toMatchObject({
      armEndpoint: "https://arm-proxy.contoso.example:8443",
      armAudience: "https://management.usgovcloudapi.net",
    });
    const refused = ZCreateAzureTenant.safeParse({ ...base, cloud: "usgov", armAudience: "https://management.azure.com" });
    expect(refused.success).toBe(false);
    expect(refused.error!.issues[0]).toMatchObject({ path: ["armAudience"], message: expect.stringContaining("follows from the cloud") });
  });

  test("custom needs both endpoints; the audience defaults to the Resource Manager endpoint", () => {
    const missing = ZCreateAzureTenant.safeParse({ ...base, cloud: "custom" });
    expect(missing.error!.issues.map((i) => i.path.join("."))).toEqual(["authorityHost", "armEndpoint"]);
    const custom = ZCreateAzureTenant.parse({
      ...base,
      cloud: "custom",
      authorityHost: "https://login.sovereign.example",
      armEndpoint: "https://arm.sovereign.example",
    });
    expect(custom.armAudience).toBe("https://arm.sovereign.example");
    const withAudience = ZCreateAzureTenant.parse({
      ...base,
      cloud: "custom",
      authorityHost: "https://login.sovereign.example",
      armEndpoint: "https://arm.sovereign.example",
      armAudience: "https://management.sovereign.example/",
    });
    expect(withAudience.armAudience).toBe("https://management.sovereign.example");
  });

  test("Azure operated by 21Vianet is refused with the reason, by name or by its endpoints", () => {
    const byName = ZCreateAzureTenant.safeParse({ ...base, cloud: "china" });
    expect(byName.error!.issues[0]!.message).toBe(CHINA_CLOUD_REFUSAL);
    expect(CHINA_CLOUD_REFUSAL).toContain("2026-08-18");
    const byEndpoint = ZCreateAzureTenant.safeParse({
      ...base,
      cloud: "custom",
      authorityHost: "https://login.chinacloudapi.cn",
      armEndpoint: "https://management.chinacloudapi.cn",
    });
    expect(byEndpoint.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["authorityHost", CHINA_CLOUD_REFUSAL],
      ["armEndpoint", CHINA_CLOUD_REFUSAL],
    ]);
    expect(ZUpdateAzureTenant.safeParse({ armEndpoint: "https://management.chinacloudapi.cn" }).error!.issues[0]!.message).toBe(
      CHINA_CLOUD_REFUSAL,
    );
  });

  test("an unknown cloud names the choices", () => {
    expect(ZCreateAzureTenant.safeParse({ ...base, cloud: "mars" }).error!.issues[0]!.message).toBe("must be one of public, usgov, custom");
  });
});

describe("resolveCloudUpdate", () => {
  const publicTenant = { cloud: "public", ...PUBLIC };

  test("switching to usgov moves default endpoints and the audience", () => {
    expect(resolveCloudUpdate(publicTenant, { cloud: "usgov" })).toEqual({ cloud: "usgov", ...USGOV });
  });

  test("overridden endpoints stay when the cloud changes; the audience follows the cloud", () => {
    const emulated = { ...publicTenant, authorityHost: "https://localhost:8443", armEndpoint: "https://localhost:8444" };
    expect(resolveCloudUpdate(emulated, { cloud: "usgov" })).toEqual({
      cloud: "usgov",
      authorityHost: "https://localhost:8443",
      armEndpoint: "https://localhost:8444",
      armAudience: USGOV.armAudience,
    });
  });

  test("custom keeps its audience unless a new one is given; an audience outside custom is refused", () => {
    const custom = {
      cloud: "custom",
      authorityHost: "https://login.x.example",
      armEndpoint: "https://arm.x.example",
      armAudience: "https://aud.x.example",
    };
    expect(resolveCloudUpdate(custom, { armEndpoint: "https://arm2.x.example" }).armAudience).toBe("https://aud.x.example");
    expect(resolveCloudUpdate(custom, { armAudience: "https://aud2.x.example" }).armAudience).toBe("https://aud2.x.example");
    expect(() => resolveCloudUpdate(publicTenant, { armAudience: "https://aud.x.example" })).toThrow(/follows from the cloud/);
  });
});

describe("helpers", () => {
  test("armScopeOf and cloudOfEndpoints", () => {
    expect(armScopeOf("https://management.usgovcloudapi.net/")).toBe("https://management.usgovcloudapi.net/.default");
    expect(
      cloudOfEndpoints({ authorityHost: "https://login.microsoftonline.us", armEndpoint: "https://management.usgovcloudapi.net/" }),
    ).toBe("usgov");
    expect(cloudOfEndpoints({ authorityHost: "https://localhost:1", armEndpoint: "https://localhost:2" })).toBe("custom");
  });
});
