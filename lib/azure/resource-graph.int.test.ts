// Resource Graph through lib/azure against the ARM emulator: the bulk assessment path across
// subscriptions equals the per-subscription listings; resource tags from the `resources` table (all of
// them, or by id); paging with $top/$skipToken; bad queries are 400s.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type TestEmulators, useEmulators } from "@/emulators/common/testing";
import type { Assessment } from "@/emulators/seed/types";
import { emulatorAzureClient } from "@/lib/ingestion/testing/fixtures";
import { type AzureClient } from "./client";
import { type ResourceTags, TAG_IDS_PER_QUERY } from "./resource-graph";
import type { AzureAssessment } from "./schemas";

type EmulatorResource = { id: string; subscriptionId: string; tags: Record<string, string> };
const emulatorResources = async () => (await emu.control<{ value: EmulatorResource[] }>("arm", "GET", "/_emulator/resources")).body.value;
const tagMap = (rows: Array<{ id: string; tags: Record<string, string> }>) => new Map(rows.map((r) => [r.id.toLowerCase(), r.tags]));

let emu: TestEmulators;
let client: AzureClient;

beforeAll(async () => {
  emu = await useEmulators();
  client = emulatorAzureClient(emu.manifest);
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
    expect(byId(rows).map((a) => [a.id, a.status, a.statusChangeDate])).toEqual(
      byId(body.value).map((a) => [a.id, a.status, a.statusChangeDate]),
    );
    expect(rows.every((a) => a.displayName.length > 0 && a.portalUrl?.includes(a.key))).toBe(true);
  });

  test("a query over one subscription with a status filter and summarize counts like the emulator", async () => {
    const sub = emu.manifest.arm.subscriptionIds[0]!;
    const pages = [];
    for await (const page of client.resourceGraph.query(
      `securityresources | where type == "microsoft.security/assessments" | where subscriptionId == '${sub}' | summarize count() by tostring(properties.status.code)`,
      { subscriptions: [sub] },
    ))
      pages.push(page);
    const { body } = await emu.control<{ value: Assessment[] }>("arm", "GET", `/_emulator/assessments?subscriptionId=${sub}`);
    const expected = Object.fromEntries(
      ["Healthy", "Unhealthy", "NotApplicable"]
        .map((s) => [s, body.value.filter((a) => a.status === s).length])
        .filter(([, n]) => Number(n) > 0),
    );
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

describe("resourceGraph.resourceTags", () => {
  test("streams the tags of every resource of the subscriptions, page by page (pageSize 37), equal to the emulator's resources", async () => {
    const expected = await emulatorResources();
    const pages: ResourceTags[][] = [];
    for await (const page of client.resourceGraph.resourceTags(emu.manifest.arm.subscriptionIds, { pageSize: 37 })) {
      expect(page.skipped).toEqual([]);
      expect(page.totalRecords).toBe(expected.length);
      pages.push(page.rows);
    }
    expect(pages).toHaveLength(Math.ceil(expected.length / 37));
    expect(tagMap(pages.flat())).toEqual(tagMap(expected));
    expect(pages.flat()).toHaveLength(expected.length);
  });

  test("by id: ids in any casing, more than one query's worth, limited to the given subscriptions", async () => {
    const all = await emulatorResources();
    const [sub1] = emu.manifest.arm.subscriptionIds;
    const inSub1 = all.filter((r) => r.subscriptionId === sub1);
    const other = all.find((r) => r.subscriptionId !== sub1)!;
    // Ids that exist nowhere come first, so the real ones are only in the second query; repeats and other
    // casings are asked once; a resource of another subscription is out of scope.
    const missing = Array.from(
      { length: TAG_IDS_PER_QUERY + 50 },
      (_, i) => `/subscriptions/${sub1}/resourceGroups/rg-none/providers/Microsoft.Web/sites/none-${i}`,
    );
    const ids = [...missing, ...inSub1.map((r) => r.id.toUpperCase()), inSub1[0]!.id, other.id];
    const rows: ResourceTags[] = [];
    for await (const page of client.resourceGraph.resourceTags([sub1!], { resourceIds: ids, pageSize: 25 })) rows.push(...page.rows);
    expect(tagMap(rows)).toEqual(tagMap(inSub1));
    expect(rows).toHaveLength(inSub1.length);
  });

  test("no subscription → no request, nothing yielded", async () => {
    const pages = [];
    for await (const page of client.resourceGraph.resourceTags([])) pages.push(page);
    expect(pages).toEqual([]);
  });
});
