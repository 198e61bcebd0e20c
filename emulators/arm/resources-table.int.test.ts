// Resource Graph's `resources` table on the ARM emulator, over HTTPS with a real Entra token: the seeded
// resources with their tags, the KQL shapes PostureDesk sends (subscriptionId in (…), id in~ (…),
// type =~ '…', project id, tags), $top/$skipToken paging in the official response shape, the
// `subscriptions` scope, and tag changes through the control API (seen by queries, reset, snapshots).
// A private set: this file changes tags, which other files read.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { armToken, privateEmulators, type TestEmulators } from "../common/testing";
import { missingPaths, shapeOf } from "./example-shape";
import FIRST_PAGE from "./fixtures/resourcegraph/2024-04-01/ResourcesFirstPageQuery.json";

type Resource = {
  id: string;
  name: string;
  type: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  tags: Record<string, string>;
};
type GraphAnswer = {
  totalRecords: number;
  count: number;
  resultTruncated: string;
  facets: unknown[];
  $skipToken?: string;
  data: Array<Record<string, unknown>>;
};

let emu: TestEmulators;
let token: string;

beforeAll(async () => {
  emu = await privateEmulators({ seed: 5, size: "small" });
  token = await armToken(emu.manifest);
}, 60_000);
afterAll(() => emu?.stop());

async function graph(body: Record<string, unknown>): Promise<{
  status: number;
  body: GraphAnswer & { error?: { code: string; message: string; details?: Array<{ code: string; message: string }> } };
}> {
  const response = await fetch(`${emu.manifest.arm.url}/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** Every page of a query, following $skipToken the way a client does (without repeating $top). */
async function allPages(query: string, subscriptions: string[], top: number): Promise<GraphAnswer[]> {
  const pages: GraphAnswer[] = [];
  let skipToken: string | undefined;
  do {
    const answer = await graph({ subscriptions, query, options: skipToken ? { $skipToken: skipToken } : { $top: top } });
    expect(answer.status, JSON.stringify(answer.body).slice(0, 300)).toBe(200);
    pages.push(answer.body);
    skipToken = answer.body.$skipToken;
  } while (skipToken);
  return pages;
}

async function seeded(query = ""): Promise<Resource[]> {
  return (await emu.control<{ value: Resource[] }>("arm", "GET", `/_emulator/resources${query}`)).body.value;
}

const byLowerId = (rows: Array<Record<string, unknown>>) => new Map(rows.map((r) => [String(r.id).toLowerCase(), r.tags]));

describe("Resource Graph `resources` table", () => {
  test("`resources | where subscriptionId in (…) | project id, tags` pages ($top 40, $skipToken) through every seeded resource with its tags", async () => {
    const subs = emu.manifest.arm.subscriptionIds;
    const resources = await seeded();
    expect(resources.length).toBeGreaterThan(80);
    expect(resources.every((r) => Object.keys(r.tags).length >= 3)).toBe(true);
    const pages = await allPages(
      `Resources | where subscriptionId in (${subs.map((s) => `'${s}'`).join(", ")}) | project id, tags`,
      subs,
      40,
    );

    expect(pages).toHaveLength(Math.ceil(resources.length / 40));
    expect(pages.every((p) => p.totalRecords === resources.length)).toBe(true);
    expect(pages.slice(0, -1).every((p) => p.count === 40 && p.data.length === 40 && typeof p.$skipToken === "string")).toBe(true);
    expect(pages.at(-1)!.$skipToken).toBeUndefined();
    // The official first-page answer's shape (totalRecords, count, resultTruncated, facets, $skipToken, data).
    expect(missingPaths(shapeOf({ ...FIRST_PAGE.responses["200"].body, data: [] }), shapeOf(pages[0]))).toEqual([]);
    const rows = pages.flatMap((p) => p.data);
    expect(rows.every((r) => Object.keys(r).sort().join(",") === "id,tags")).toBe(true);
    // Ids as ARM spells them (like the official examples), each once, in a stable id order.
    expect(rows.map((r) => r.id)).toEqual(resources.map((r) => r.id).sort());
    expect(byLowerId(rows)).toEqual(byLowerId(resources));
  });

  test("columns follow Resource Graph: type and resourceGroup lowercase, no subscriptions in `resources`", async () => {
    const answer = await graph({
      query:
        "resources | where type =~ 'Microsoft.Compute/virtualMachines' | project id, name, type, location, resourceGroup, subscriptionId, tags",
    });
    expect(answer.status).toBe(200);
    const vms = (await seeded()).filter((r) => r.type === "Microsoft.Compute/virtualMachines");
    expect(vms.length).toBeGreaterThan(0);
    expect(answer.body.totalRecords).toBe(vms.length);
    for (const row of answer.body.data) {
      const vm = vms.find((v) => v.id === row.id)!;
      expect(row).toEqual({
        id: vm.id,
        name: vm.name,
        type: "microsoft.compute/virtualmachines",
        location: vm.location,
        resourceGroup: vm.resourceGroup.toLowerCase(),
        subscriptionId: vm.subscriptionId,
        tags: vm.tags,
      });
    }
    const subscriptions = await graph({ query: "resources | where type =~ 'microsoft.resources/subscriptions' | count" });
    expect(subscriptions.body.data).toEqual([{ Count: 0 }]);
  });

  test("`where id in~ (…)` matches whatever the casing; the `subscriptions` body list is the scope", async () => {
    const [sub1, sub2] = emu.manifest.arm.subscriptionIds;
    const resources = await seeded();
    const wanted = [resources.find((r) => r.subscriptionId === sub1)!, resources.find((r) => r.subscriptionId === sub2)!];
    const query = `resources | where id in~ (${wanted.map((r) => `'${r.id.toUpperCase()}'`).join(", ")}) | project id, tags`;
    const both = await graph({ subscriptions: [sub1, sub2], query });
    expect(both.body.data).toEqual(wanted.map((r) => ({ id: r.id, tags: r.tags })).sort((a, b) => (a.id < b.id ? -1 : 1)));
    const one = await graph({ subscriptions: [sub1], query });
    expect(one.body.data).toEqual([{ id: wanted[0]!.id, tags: wanted[0]!.tags }]);
  });

  test("unsupported tables and operators are 400 InvalidQuery, never a silently different answer", async () => {
    for (const query of [
      "resourcecontainers | project id, tags",
      "resources | mv-expand tags",
      "resources | where id in~ (tolower(name)) | project id",
    ]) {
      const answer = await graph({ query });
      expect(answer.status, query).toBe(400);
      expect(answer.body.error?.code).toBe("BadRequest");
      expect(answer.body.error?.details?.[0]?.code ?? JSON.stringify(answer.body)).toMatch(/InvalidQuery/);
    }
  });
});

describe("control API: resource tags", () => {
  test("a tag change (replace, merge, remove all) shows in the next query; reset restores the seeded tags", async () => {
    const [a, b, c] = await seeded(`?subscriptionId=${emu.manifest.arm.subscriptionIds[0]}`);
    const query = `resources | where id in~ ('${a!.id}', '${b!.id}', '${c!.id}') | project id, tags`;
    const before = byLowerId((await graph({ query })).body.data);

    const replaced = await emu.control<{ changed: number; value: Resource[] }>("arm", "PATCH", "/_emulator/resources/tags", {
      ids: [a!.id.toUpperCase()],
      tags: { env: "prod", owner: "ada.admin@contoso.example" },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ changed: 1, value: [{ id: a!.id, tags: { env: "prod", owner: "ada.admin@contoso.example" } }] });
    await emu.control("arm", "PATCH", "/_emulator/resources/tags", { ids: [b!.id], tags: { team: "blue" }, merge: true });
    await emu.control("arm", "PATCH", "/_emulator/resources/tags", { ids: [c!.id], tags: {} });

    const after = byLowerId((await graph({ query })).body.data);
    expect(after.get(a!.id.toLowerCase())).toEqual({ env: "prod", owner: "ada.admin@contoso.example" });
    expect(after.get(b!.id.toLowerCase())).toEqual({ ...b!.tags, team: "blue" });
    expect(after.get(c!.id.toLowerCase())).toEqual({});

    // A snapshot carries the changed tags; a reset goes back to the seed; a restore brings the change back.
    const snapshot = (await emu.control<unknown>("arm", "POST", "/_emulator/snapshot", {})).body;
    await emu.control("arm", "POST", "/_emulator/reset", { faults: false, counters: false, clock: false });
    expect(byLowerId((await graph({ query })).body.data)).toEqual(before);
    await emu.control("arm", "POST", "/_emulator/restore", { snapshot });
    expect(byLowerId((await graph({ query })).body.data)).toEqual(after);
    await emu.control("arm", "POST", "/_emulator/reset", { faults: false, counters: false, clock: false });
  });

  test("bad requests are 400 and change nothing: unknown ids, a subscription, bad tag names, more than 50 tags", async () => {
    const [a] = await seeded();
    const bad = [
      { ids: [a!.id, `${a!.id}-missing`], tags: { env: "x" } },
      { ids: [`/subscriptions/${emu.manifest.arm.subscriptionIds[0]}`], tags: { env: "x" } },
      { ids: [a!.id], tags: { "a/b": "x" } },
      { ids: [a!.id], tags: { env: 1 } },
      { ids: [a!.id], tags: Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`k${i}`, "v"])), merge: true },
      { ids: [], tags: {} },
      { ids: [a!.id], tags: {}, extra: true },
    ];
    for (const body of bad) {
      const answer = await emu.control<{ error: { code: string; details: string } }>("arm", "PATCH", "/_emulator/resources/tags", body);
      expect(answer.status, JSON.stringify(body).slice(0, 120)).toBe(400);
      expect(answer.body.error.code).toBe("InvalidControlRequest");
    }
    expect((await seeded()).find((r) => r.id === a!.id)!.tags).toEqual(a!.tags);
  });
});
