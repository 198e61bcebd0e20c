// Resource Graph through lib/azure against the ARM emulator: the bulk assessment path across
// subscriptions equals the per-subscription listings; paging with $top/$skipToken; bad queries are 400s.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type TestEmulators, useEmulators } from "@/emulators/common/testing";
import type { Assessment } from "@/emulators/seed/types";
import { type AzureClient, createAzureClient } from "./client";
import type { AzureAssessment } from "./schemas";

let emu: TestEmulators;
let client: AzureClient;

beforeAll(async () => {
  emu = await useEmulators();
  const m = emu.manifest;
  client = createAzureClient({ tenantId: m.tenantId, ...m.entra.armServicePrincipal, authorityHost: m.entra.url, armEndpoint: m.arm.url });
}, 60_000);
afterAll(() => emu?.stop());

describe("resourceGraph.assessments", () => {
  test("pages through every assessment of all subscriptions (pageSize 97) and matches the emulator's data", async () => {
    const subs = emu.manifest.arm.subscriptionIds;
    const rows: AzureAssessment[] = [];
    let pages = 0;
    for await (const page of client.resourceGraph.assessments(subs, { pageSize: 97 })) {
      pages++;
      rows.push(...page);
    }
    const { body } = await emu.control<{ value: Assessment[] }>("arm", "GET", "/_emulator/assessments");
    expect(pages).toBe(Math.ceil(body.value.length / 97));
    const byId = <T extends { id: string }>(list: T[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(rows).map((a) => [a.id, a.status, a.statusChangeDate])).toEqual(byId(body.value).map((a) => [a.id, a.status, a.statusChangeDate]));
    expect(rows.every((a) => a.displayName.length > 0 && a.portalUrl?.includes(a.key))).toBe(true);
  });

  test("a query over one subscription with a status filter and summarize counts like the emulator", async () => {
    const sub = emu.manifest.arm.subscriptionIds[0]!;
    const pages = [];
    for await (const page of client.resourceGraph.query(
      `securityresources | where type == "microsoft.security/assessments" | where subscriptionId == '${sub}' | summarize count() by tostring(properties.status.code)`,
      { subscriptions: [sub] },
    )) pages.push(page);
    const { body } = await emu.control<{ value: Assessment[] }>("arm", "GET", `/_emulator/assessments?subscriptionId=${sub}`);
    const expected = Object.fromEntries(["Healthy", "Unhealthy", "NotApplicable"].map((s) => [s, body.value.filter((a) => a.status === s).length]).filter(([, n]) => Number(n) > 0));
    const actual = Object.fromEntries(pages[0]!.rows.map((r) => [r.properties_status_code, r.count]));
    expect(actual).toEqual(expected);
  });

  test("an unsupported query is a 400 (UPSTREAM_BAD_REQUEST), not a silently wrong answer", async () => {
    const run = async () => {
      for await (const _ of client.resourceGraph.query("securityresources | join kind=inner (resources) on id")) void _;
    };
    await expect(run()).rejects.toMatchObject({ code: "UPSTREAM_BAD_REQUEST", message: expect.stringContaining("InvalidQuery") });
  });
});
