// The shared control API every emulator port answers: faults scoped to the emulator that received them,
// counters, reset, reseed, snapshot/restore, and clear 400s for bad control requests.
// Private emulators: these tests reseed and restore.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { privateEmulators, requestArmToken, type TestEmulators } from "./common/testing";
import type { Assessment } from "./seed/types";

let emu: TestEmulators;

beforeAll(async () => {
  emu = await privateEmulators();
}, 60_000);
afterAll(() => emu?.stop());

const token = () => requestArmToken(emu.manifest);

describe("control API", () => {
  test("a fault posted to one emulator's port without `emulator` hits only that emulator", async () => {
    await emu.control("entra", "POST", "/_emulator/faults", { path: "/**", kind: "status", status: 503, times: 5 });
    try {
      expect((await token()).status).toBe(503);
      const arm = await fetch(`${emu.manifest.arm.url}/subscriptions?api-version=2022-12-01`);
      expect(arm.status).toBe(401); // served by ARM (no token), not by the Entra fault
    } finally {
      await emu.control("entra", "DELETE", "/_emulator/faults");
    }
    expect((await token()).status).toBe(200);
  });

  test("counters record real requests by route template and status, never control calls", async () => {
    await emu.control("arm", "POST", "/_emulator/counters/reset");
    await token();
    await token();
    const { body } = await emu.control<{ value: Array<{ emulator: string; route: string; status: number; count: number }>; total: number }>(
      "arm",
      "GET",
      "/_emulator/counters",
    );
    expect(body.value).toEqual([{ emulator: "entra", method: "POST", route: "/:tenant/oauth2/v2.0/token", status: 200, count: 2 }]);
  });

  test("bad control requests are 400 with the field named", async () => {
    const bad = await emu.control<{ error: { code: string; details: string } }>("arm", "POST", "/_emulator/faults", {
      path: "/x",
      kind: "status",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toContain("status");
    expect((await emu.control("arm", "POST", "/_emulator/reseed", { seed: 1, size: "huge" })).status).toBe(400);
    expect((await emu.control("arm", "POST", "/_emulator/clock", { advanceSeconds: -5 })).status).toBe(400);
    expect((await emu.control("arm", "POST", "/_emulator/snapshot", { path: "../../outside.json" })).status).toBe(400);
    expect((await emu.control("arm", "POST", "/_emulator/assessments/status", { status: "Healthy" })).status).toBe(400);
  });
});

describe("control API from a browser", () => {
  test("refuses calls from other sites' pages (Origin → 403) and non-JSON writes (form posts → 415)", async () => {
    const reset = `${emu.manifest.arm.url}/_emulator/reset`;
    const fromSite = await fetch(reset, { method: "POST", headers: { origin: "https://evil.example" } });
    expect(fromSite.status).toBe(403);
    const form = await fetch(reset, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "state=true",
    });
    expect(form.status).toBe(415);
    const ownPage = await fetch(`${emu.manifest.arm.url}/_emulator`, { headers: { origin: emu.manifest.entra.browserUrl } });
    expect(ownPage.status).toBe(200);
  });

  test("the control page is served with a locked-down CSP, and /_emulator/to/{name}/ reaches each emulator", async () => {
    const page = await fetch(`${emu.manifest.entra.browserUrl}/_emulator/ui`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toMatch(/script-src 'sha256-[^']+'; connect-src 'self'/);
    expect(await page.text()).toContain("Flip assessments");
    const viaProxy = await fetch(`${emu.manifest.entra.browserUrl}/_emulator/to/arm/assessments?limit=0`);
    expect(await viaProxy.json()).toMatchObject({ total: 300 });
    const users = await fetch(`${emu.manifest.entra.browserUrl}/_emulator/to/entra/entra/users`);
    expect(((await users.json()) as { value: unknown[] }).value.length).toBeGreaterThan(4);
  });
});

describe("state lifecycle", () => {
  const assessments = async () => (await emu.control<{ value: Assessment[] }>("arm", "GET", "/_emulator/assessments")).body.value;

  test("snapshot to a file, change state, restore: the state is back", async () => {
    const before = await assessments();
    const snap = await emu.control<{ path: string }>("arm", "POST", "/_emulator/snapshot", { path: "snapshots/one.json" });
    expect(snap.status).toBe(200);
    await emu.control("arm", "POST", "/_emulator/assessments/status", { count: 10, status: "Healthy" });
    expect(await assessments()).not.toEqual(before);
    expect((await emu.control("arm", "POST", "/_emulator/restore", { path: "snapshots/one.json" })).status).toBe(200);
    expect(await assessments()).toEqual(before);
  });

  test("reset brings back the seeded state; reseed builds another world and keeps the tenant", async () => {
    const seeded = await assessments();
    await emu.control("arm", "POST", "/_emulator/assessments/status", { count: 5, status: "NotApplicable" });
    await emu.control("arm", "POST", "/_emulator/reset");
    expect(await assessments()).toEqual(seeded);

    const info = await emu.control<{ seed: number; tenantId: string; counts: { assessments: number } }>(
      "arm",
      "POST",
      "/_emulator/reseed",
      { seed: 7, size: "small" },
    );
    expect(info.body).toMatchObject({ seed: 7, tenantId: emu.manifest.tenantId, counts: { assessments: 300 } });
    expect((await assessments()).map((a) => a.id)).not.toEqual(seeded.map((a) => a.id));
    await emu.control("arm", "POST", "/_emulator/reseed", { seed: 42, size: "small" });
    expect(await assessments()).toEqual(seeded);
  });
});
