import { describe, expect, test } from "vitest";
import { KqlError, parseKql } from "./kql";

const row = (id: string, name: string, type: string, subscriptionId: string, status: string, tags: Record<string, string>) => ({
  id,
  name,
  type,
  subscriptionId,
  properties: { status: { code: status } },
  tags,
});
const rows = [
  row("/s/1/a", "vm-test-01", "microsoft.compute/virtualmachines", "s1", "Unhealthy", { env: "test" }),
  row("/s/1/b", "st-prod-01", "microsoft.storage/storageaccounts", "s1", "Healthy", { env: "prod" }),
  row("/s/2/c", "vm-Test-02", "microsoft.compute/virtualmachines", "s2", "Unhealthy", {}),
];
const run = (q: string) => parseKql(q).run(rows).rows;

describe("parseKql", () => {
  test("where with ==, =~, contains, in, and/or, and nested property paths", () => {
    expect(run(`resources | where type == "microsoft.compute/virtualmachines"`).map((r) => r.name)).toEqual(["vm-test-01", "vm-Test-02"]);
    expect(run(`resources | where type =~ 'Microsoft.Storage/StorageAccounts'`)).toHaveLength(1);
    expect(run(`resources | where name contains 'test' and subscriptionId in ('s2')`).map((r) => r.name)).toEqual(["vm-Test-02"]);
    expect(run(`resources | where properties.status.code == 'Healthy' or tags['env'] == 'test'`)).toHaveLength(2);
    expect(run(`resources | where name !contains 'test'`)).toHaveLength(1);
  });

  test("project names computed columns like Resource Graph; summarize count() by; order and limit", () => {
    expect(run(`resources | project id, properties.status.code | limit 1`)).toEqual([
      { id: "/s/1/a", properties_status_code: "Unhealthy" },
    ]);
    expect(run(`resources | summarize count() by tostring(properties.status.code)`)).toEqual([
      { properties_status_code: "Unhealthy", count: 2 },
      { properties_status_code: "Healthy", count: 1 },
    ]);
    expect(run(`resources | order by name desc | take 2`).map((r) => r.name)).toEqual(["vm-test-01", "vm-Test-02"]);
    expect(run(`resources | extend code = properties.status.code | where code == 'Healthy' | project name`)).toEqual([
      { name: "st-prod-01" },
    ]);
    expect(run(`resources | count`)).toEqual([{ Count: 3 }]);
  });

  test("the shapes the tag reader sends: subscriptionId in (…), id in~ (…) in any casing, project id, tags", () => {
    expect(run(`Resources | where subscriptionId in ('s1') | project id, tags`)).toEqual([
      { id: "/s/1/a", tags: { env: "test" } },
      { id: "/s/1/b", tags: { env: "prod" } },
    ]);
    expect(
      run(`resources | where subscriptionId in ('s1', 's2') | where id in~ ('/S/1/B', '/s/2/C', '/s/9/z') | project id, tags`).map(
        (r) => r.id,
      ),
    ).toEqual(["/s/1/b", "/s/2/c"]);
    expect(run(`resources | where id in ('/S/1/B') | project id`)).toEqual([]);
    expect(run(`resources | where id in~ ('it\\'s') | project id`)).toEqual([]);
  });

  test("todatetime() compares instants; a missing or unparseable date is null, which no ordering matches", () => {
    const dated = [
      { id: "a", properties: { status: { statusChangeDate: "2026-11-30T10:00:00Z" } } },
      { id: "b", properties: { status: { statusChangeDate: "2026-11-29T10:00:00.000Z" } } },
      { id: "c", properties: { status: {} } },
      { id: "d", properties: { status: { statusChangeDate: "not a date" } } },
    ];
    const ids = (q: string) =>
      parseKql(q)
        .run(dated)
        .rows.map((r) => r.id);
    expect(
      ids(`securityresources | where todatetime(properties.status.statusChangeDate) >= todatetime('2026-11-30T09:00:00.000Z')`),
    ).toEqual(["a"]);
    expect(
      ids(`securityresources | where todatetime(properties.status.statusChangeDate) < todatetime('2026-11-30T09:00:00.000Z')`),
    ).toEqual(["b"]);
    expect(ids(`securityresources | where isnull(todatetime(properties.status.statusChangeDate))`)).toEqual(["c", "d"]);
  });

  test("unsupported syntax is an error, never a silently different answer", () => {
    for (const q of [
      "resources | join (securityresources) on id",
      "resources | where name matches regex 'x'",
      "resources | summarize max(x)",
      "| where x == 1",
      `resources | where name == 'unterminated`,
    ]) {
      expect(() => run(q), q).toThrow(KqlError);
    }
  });
});
