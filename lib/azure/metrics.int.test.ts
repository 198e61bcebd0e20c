// The external-requests metric of the Azure side (posturedesk_external_requests_total{system="azure"|"entra"}):
// every ARM request actually sent is counted with its status — retries included, 0 for a dropped
// connection — and Entra ID token requests are counted when MSAL had to ask (not when it answered from
// its cache). Private emulators: the faults below would disturb other files.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { privateEmulators, type TestEmulators } from "@/emulators/common/testing";
import { metrics } from "@/lib/metrics";
import { emulatorAzureClient } from "@/lib/ingestion/testing/fixtures";

let emu: TestEmulators;

async function count(system: string, status: string): Promise<number> {
  const { values } = await metrics().externalRequests.get();
  return values.find((v) => v.labels.system === system && v.labels.status === status)?.value ?? 0;
}

async function counts(system: string, statuses: string[]): Promise<Record<string, number>> {
  return Object.fromEntries(await Promise.all(statuses.map(async (s) => [s, await count(system, s)] as const)));
}

function client(secret = emu.manifest.entra.armServicePrincipal.clientSecret) {
  return emulatorAzureClient(emu.manifest, {
    clientSecret: secret,
    retry: { maxRetries: 3, retryDelayInMs: 10, maxRetryDelayInMs: 20 },
    throttle: { maxRetries: 3, baseDelayMs: 10, maxDelayMs: 20 },
  });
}

beforeAll(async () => {
  emu = await privateEmulators();
}, 60_000);
afterAll(() => emu?.stop());

describe("external requests metric (Azure, Entra ID)", () => {
  test("counts each ARM attempt by status (429 without Retry-After, 500, dropped = 0, then 200) and one Entra token request", async () => {
    const armBefore = await counts("azure", ["200", "429", "500", "0"]);
    const entraBefore = await count("entra", "200");
    const faults = [
      { emulator: "arm", method: "GET", path: "/subscriptions", kind: "status", status: 429, times: 1 },
      { emulator: "arm", method: "GET", path: "/subscriptions", kind: "status", status: 500, times: 1 },
      { emulator: "arm", method: "GET", path: "/subscriptions", kind: "drop", times: 1 },
    ];
    expect((await emu.control("arm", "POST", "/_emulator/faults", faults)).status).toBe(201);
    const azure = client();
    expect((await azure.listSubscriptions()).length).toBeGreaterThan(0);
    const armAfter = await counts("azure", ["200", "429", "500", "0"]);
    expect(armAfter["429"]! - armBefore["429"]!).toBe(1);
    expect(armAfter["500"]! - armBefore["500"]!).toBe(1);
    expect(armAfter["0"]! - armBefore["0"]!).toBe(1);
    expect(armAfter["200"]! - armBefore["200"]!).toBe(1);
    expect((await count("entra", "200")) - entraBefore).toBe(1);

    // Again with the same client: ARM is asked again, Entra ID is not (MSAL's cache answers).
    await azure.listSubscriptions();
    expect((await count("azure", "200")) - armAfter["200"]!).toBe(1);
    expect((await count("entra", "200")) - entraBefore).toBe(1);
  });

  test("a refused token request is counted with Entra ID's status, a dropped one as 0", async () => {
    const before = await counts("entra", ["401", "0"]);
    await expect(client("not-the-secret").listSubscriptions()).rejects.toMatchObject({ code: "UPSTREAM_AUTH" });
    expect((await count("entra", "401")) - before["401"]!).toBe(1);

    await emu.control("entra", "POST", "/_emulator/faults", { emulator: "entra", path: "/*/oauth2/v2.0/token", kind: "drop", times: 5 });
    await expect(client().listSubscriptions()).rejects.toBeDefined();
    expect((await count("entra", "0")) - before["0"]!).toBeGreaterThanOrEqual(1);
    await emu.control("entra", "DELETE", "/_emulator/faults");
  });
});
