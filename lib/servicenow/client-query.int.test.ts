// Conformance: PostureDesk's ServiceNow client against the emulator over HTTPS — encoded-query
// operators, paging through Link / X-Total-Count, display values and reference shapes.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type ServiceNowTarget, startServiceNowForTests } from "@/emulators/servicenow/testing";
import { AppError } from "@/lib/http/errors";
import { createServiceNowClient, type ServiceNowClient } from "./client";
import { q, type ServiceNowQuery } from "./query";
import { cellDisplay, cellValue, type ServiceNowRecord } from "./records";

let sn: ServiceNowTarget;
let client: ServiceNowClient;
let requests = 0;
const prefix = `posturedesk:conformance-${randomUUID().slice(0, 8)}:`;
const basic = () => `Basic ${Buffer.from(`${sn.username}:${sn.password}`).toString("base64")}`;
let groups: ServiceNowRecord[];
let users: ServiceNowRecord[];

// Five incidents: priorities 1, 2, 3, 4, 5 (impact × urgency), distinct due dates, one caret value.
const SEED = [
  { key: "a", impact: 1, urgency: 1, short_description: "Alpha VPN outage", due: "2030-01-01 08:00:00" },
  { key: "b", impact: 1, urgency: 2, short_description: "Bravo printer", due: "2030-01-02 08:00:00" },
  { key: "c", impact: 2, urgency: 2, short_description: "Charlie disk full", due: "2030-01-03 08:00:00" },
  { key: "d", impact: 2, urgency: 3, short_description: "Delta x^NQactive=true", due: "" },
  { key: "e", impact: 3, urgency: 3, short_description: "Echo certificate", due: "2030-01-05 08:00:00" },
];

beforeAll(async () => {
  sn = await startServiceNowForTests();
  client = createServiceNowClient({
    instanceUrl: sn.url,
    auth: { type: "basic", username: sn.username, password: sn.password },
    retryBaseDelayMs: 20,
    onRequest: () => void requests++,
  });
  groups = (await client.list("sys_user_group", { limit: 2, query: q().orderBy("name") })).records;
  users = (await client.list("sys_user", { limit: 1, query: q().isNotEmpty("email").orderBy("user_name") })).records;
  for (const [i, s] of SEED.entries()) {
    await client.create("incident", {
      short_description: s.short_description,
      impact: s.impact,
      urgency: s.urgency,
      due_date: s.due || null,
      correlation_id: `${prefix}${s.key}`,
      assignment_group: i % 2 === 0 ? cellValue(groups[0]!.sys_id) : cellValue(groups[1]!.sys_id),
      assigned_to: s.key === "a" ? cellValue(users[0]!.sys_id) : "",
    });
  }
});

afterAll(async () => {
  await sn?.stop();
});

async function keys(build: (query: ServiceNowQuery) => ServiceNowQuery): Promise<string[]> {
  const page = await client.list("incident", { query: build(q().startsWith("correlation_id", prefix)), fields: ["correlation_id"] });
  return page.records.map((r) => cellValue(r.correlation_id).slice(prefix.length)).sort();
}

describe("encoded query operators", () => {
  test("comparison operators on an integer field compare numbers", async () => {
    expect(await keys((b) => b.eq("priority", 3))).toEqual(["c"]);
    expect(await keys((b) => b.ne("priority", 3))).toEqual(["a", "b", "d", "e"]);
    expect(await keys((b) => b.gt("priority", 3))).toEqual(["d", "e"]);
    expect(await keys((b) => b.gte("priority", 3))).toEqual(["c", "d", "e"]);
    expect(await keys((b) => b.lt("priority", 2))).toEqual(["a"]);
    expect(await keys((b) => b.lte("priority", 2))).toEqual(["a", "b"]);
    expect(await keys((b) => b.in("priority", [1, 5]))).toEqual(["a", "e"]);
    expect(await keys((b) => b.notIn("priority", [1, 5]))).toEqual(["b", "c", "d"]);
  });

  test("string operators are case-insensitive", async () => {
    expect(await keys((b) => b.like("short_description", "PRINTER"))).toEqual(["b"]);
    expect(await keys((b) => b.notLike("short_description", "I"))).toEqual(["a"]);
    expect(await keys((b) => b.endsWith("short_description", "FULL"))).toEqual(["c"]);
    expect(await keys((b) => b.startsWith("short_description", "echo"))).toEqual(["e"]);
  });

  test("ISEMPTY / ISNOTEMPTY, ^OR and ^NQ", async () => {
    expect(await keys((b) => b.isEmpty("due_date"))).toEqual(["d"]);
    expect(await keys((b) => b.isNotEmpty("assigned_to"))).toEqual(["a"]);
    expect(await keys((b) => b.eq("priority", 1).or().eq("priority", 5))).toEqual(["a", "e"]);
    // (prefix AND priority=1) OR (prefix AND priority=4)
    expect(await keys((b) => b.eq("priority", 1).newQuery().startsWith("correlation_id", prefix).eq("priority", 4))).toEqual(["a", "d"]);
  });

  test("dates compare as instants (UTC), whatever the written form", async () => {
    const since = new Date(Date.UTC(2030, 0, 2, 8, 0, 0));
    expect(await keys((b) => b.gte("due_date", since))).toEqual(["b", "c", "e"]);
    expect(await keys((b) => b.gt("due_date", since))).toEqual(["c", "e"]);
    expect(await keys((b) => b.lt("due_date", "2030-01-02"))).toEqual(["a"]);
  });

  test("ORDERBY and ORDERBYDESC sort the listing", async () => {
    const byPriority = await client.list("incident", {
      query: q().startsWith("correlation_id", prefix).orderByDesc("priority").orderBy("number"),
    });
    expect(byPriority.records.map((r) => cellValue(r.priority))).toEqual(["5", "4", "3", "2", "1"]);
    const byDue = await client.list("incident", {
      query: q().startsWith("correlation_id", prefix).isNotEmpty("due_date").orderBy("due_date"),
    });
    expect(byDue.records.map((r) => cellValue(r.correlation_id).slice(prefix.length))).toEqual(["a", "b", "c", "e"]);
  });

  test("a caret in a value is escaped and cannot inject a condition", async () => {
    expect(await keys((b) => b.eq("short_description", "Delta x^NQactive=true"))).toEqual(["d"]);
    // The same value sent unescaped becomes "^NQactive=true": a second, much wider query.
    const raw = await fetch(
      `${sn.url}/api/now/table/incident?sysparm_fields=sys_id&sysparm_query=${encodeURIComponent(`correlation_idSTARTSWITH${prefix}^short_description=Delta x^NQactive=true`)}`,
      { headers: { authorization: basic() } },
    );
    expect(Number(raw.headers.get("x-total-count"))).toBeGreaterThan(1);
  });

  test("the platform ignores unknown fields; the client refuses them before sending", async () => {
    const url = (query: string) => `${sn.url}/api/now/table/incident?sysparm_fields=sys_id&sysparm_query=${encodeURIComponent(query)}`;
    const exact = await fetch(url(`correlation_idSTARTSWITH${prefix}^priority=1`), { headers: { authorization: basic() } });
    const typo = await fetch(url(`correlation_idSTARTSWITH${prefix}^priorty=1`), { headers: { authorization: basic() } });
    expect(exact.headers.get("x-total-count")).toBe("1");
    expect(typo.headers.get("x-total-count")).toBe("5");
    const before = requests;
    await expect(client.list("incident", { query: q().eq("priorty", 1) })).rejects.toBeInstanceOf(AppError);
    await expect(client.list("incident", { fields: ["short_descripton"] })).rejects.toThrow(/Unknown field/);
    expect(requests).toBe(before);
  });
});

describe("paging", () => {
  test("one page reports X-Total-Count and the Link to the next page", async () => {
    const page = await client.list("incident", { query: q().startsWith("correlation_id", prefix).orderBy("number"), limit: 2 });
    expect(page.records).toHaveLength(2);
    expect(page.total).toBe(5);
    expect(new URL(page.nextUrl!).searchParams.get("sysparm_offset")).toBe("2");
  });

  test("the Link header carries first, prev, next and last", async () => {
    const query = encodeURIComponent(`correlation_idSTARTSWITH${prefix}`);
    const response = await fetch(`${sn.url}/api/now/table/incident?sysparm_query=${query}&sysparm_limit=2&sysparm_offset=2`, {
      headers: { authorization: basic() },
    });
    const link = response.headers.get("link")!;
    for (const [rel, offset] of [
      ["first", 0],
      ["prev", 0],
      ["next", 4],
      ["last", 4],
    ] as const) {
      const m = new RegExp(`<([^>]+)>;rel="${rel}"`).exec(link);
      expect(m, rel).not.toBeNull();
      expect(new URL(m![1]!).searchParams.get("sysparm_offset"), rel).toBe(String(offset));
      expect(new URL(m![1]!).origin).toBe(new URL(sn.url).origin);
    }
  });

  test("iterate follows the Link header to the last record, with or without the count", async () => {
    for (const noCount of [false, true]) {
      const pages = [];
      for await (const page of client.iteratePages("incident", {
        query: q().startsWith("correlation_id", prefix).orderBy("number"),
        limit: 2,
        noCount,
      }))
        pages.push(page);
      expect(pages.map((p) => p.records.length)).toEqual([2, 2, 1]);
      expect(new Set(pages.flatMap((p) => p.records.map((r) => cellValue(r.sys_id)))).size).toBe(5);
      expect(pages[0]!.total).toBe(noCount ? null : 5);
    }
    let count = 0;
    for await (const record of client.iterate("sys_choice", { limit: 7 })) if (cellValue(record.sys_id)) count++;
    const total = (await client.list("sys_choice", { limit: 1 })).total;
    expect(count).toBe(total);
  });

  test("field=value parameters filter like sysparm_query and accept choice labels", async () => {
    const url = new URL(`${sn.url}/api/now/table/incident`);
    url.searchParams.set("correlation_id", `${prefix}b`);
    url.searchParams.set("priority", "2 - High");
    url.searchParams.set("sysparm_suppress_pagination_header", "true");
    const response = await fetch(url, { headers: { authorization: basic() } });
    expect(response.headers.get("x-total-count")).toBe("1");
    expect(response.headers.get("link")).toBeNull();
    url.searchParams.set("priority", "1 - Critical");
    expect((await fetch(url, { headers: { authorization: basic() } })).headers.get("x-total-count")).toBe("0");
  });

  test("an empty listing is 200 [] on the default version and 404 on v1", async () => {
    const query = encodeURIComponent("correlation_id=does-not-exist");
    const v2 = await fetch(`${sn.url}/api/now/table/incident?sysparm_query=${query}`, { headers: { authorization: basic() } });
    const v1 = await fetch(`${sn.url}/api/now/v1/table/incident?sysparm_query=${query}`, { headers: { authorization: basic() } });
    expect([v2.status, await v2.json()]).toEqual([200, { result: [] }]);
    expect(v1.status).toBe(404);
    expect((await v1.json()).error.message).toBe("No Record found");
  });
});

describe("display values and reference shapes", () => {
  let sysId: string;
  beforeAll(async () => {
    const page = await client.list("incident", { query: q().eq("correlation_id", `${prefix}a`) });
    sysId = cellValue(page.records[0]!.sys_id);
  });

  test("references are {link, value} with an absolute link to the referenced record", async () => {
    const record = (await client.get("incident", sysId))!;
    expect(record.assigned_to).toEqual({
      link: `${sn.url}/api/now/table/sys_user/${cellValue(users[0]!.sys_id)}`,
      value: cellValue(users[0]!.sys_id),
    });
    expect(record.state).toBe("1");
    expect(record.caller_id).toBe("");
  });

  test("display values show choice labels and referenced names; all shows both", async () => {
    const shown = (await client.get("incident", sysId, { displayValue: true }))!;
    expect(shown.state).toBe("New");
    expect(shown.priority).toBe("1 - Critical");
    expect(shown.assigned_to).toEqual({
      display_value: cellValue(users[0]!.name),
      link: expect.stringContaining("/api/now/table/sys_user/"),
    });
    const both = (await client.get("incident", sysId, { displayValue: "all", fields: ["state", "assigned_to"] }))!;
    expect(both).toEqual({
      state: { display_value: "New", value: "1" },
      assigned_to: { display_value: cellValue(users[0]!.name), value: cellValue(users[0]!.sys_id), link: expect.any(String) },
    });
    expect(cellDisplay(both.assigned_to)).toBe(cellValue(users[0]!.name));
  });

  test("excludeReferenceLink and dot-walked fields", async () => {
    const record = (await client.get("incident", sysId, {
      fields: ["number", "assignment_group", "assigned_to.email"],
      excludeReferenceLink: true,
    }))!;
    expect(Object.keys(record).sort()).toEqual(["assigned_to.email", "assignment_group", "number"]);
    expect(record.assignment_group).toBe(cellValue(groups[0]!.sys_id));
    expect(record["assigned_to.email"]).toBe(cellValue(users[0]!.email));
  });
});
