import { describe, expect, test } from "vitest";
import { type Actor } from "./business-rules";
import { parseEncodedQuery, splitSegments } from "./query-parser";
import { createRecordService } from "./records";
import { resolveTable } from "./schema";
import { createStore } from "./store";

const actor: Actor = { userName: "tester", sysId: "f".repeat(32), name: "Test User", roles: ["itil"] };
const incident = resolveTable("incident")!;

function setup() {
  let clock = Date.UTC(2024, 4, 1, 10, 0, 0);
  const store = createStore();
  store.put("sys_user", { sys_id: "a".repeat(32), user_name: "beth.anglin", name: "Beth Anglin", email: "beth@example.com" });
  store.put("sys_user_group", { sys_id: "b".repeat(32), name: "Network" });
  const records = createRecordService(store, () => clock);
  const add = (fields: Record<string, string>, advanceMinutes = 10) => {
    clock += advanceMinutes * 60_000;
    return records.insert(incident, fields, actor, { useDisplayValue: false });
  };
  add({ short_description: "VPN down", impact: "1", urgency: "1", correlation_id: "posturedesk:a1", assigned_to: "a".repeat(32) });
  add({ short_description: "Printer jam", impact: "3", urgency: "3", correlation_id: "splunk-1" });
  add({
    short_description: "Caret ^ in text",
    impact: "2",
    urgency: "2",
    correlation_id: "posturedesk:a2",
    assignment_group: "b".repeat(32),
  });
  add({ short_description: "Disk full", impact: "2", urgency: "3" });
  const numbers = (query: string) => records.list(incident, query).rows.map((r) => r.short_description);
  return { records, numbers };
}

describe("splitSegments", () => {
  test("treats a doubled caret as a literal caret inside the value", () => {
    expect(splitSegments("a=x^^y^b=2")).toEqual(["a=x^y", "b=2"]);
  });
});

describe("parseEncodedQuery", () => {
  test("builds OR clauses, AND groups, NQ groups and order clauses", () => {
    const parsed = parseEncodedQuery("state=1^ORstate=2^active=true^NQpriority<=2^ORDERBYDESCsys_updated_on^ORDERBYnumber");
    expect(parsed.groups).toEqual([
      [
        [
          { field: "state", op: "=", value: "1" },
          { field: "state", op: "=", value: "2" },
        ],
        [{ field: "active", op: "=", value: "true" }],
      ],
      [[{ field: "priority", op: "<=", value: "2" }]],
    ]);
    expect(parsed.orderBy).toEqual([
      { field: "sys_updated_on", isDescending: true },
      { field: "number", isDescending: false },
    ]);
  });

  test("prefers the longest operator (NOT LIKE over LIKE, >= over >, ISNOTEMPTY over ISEMPTY)", () => {
    const ops = ["aNOT LIKEx", "a>=1", "aISNOTEMPTY", "aNOT INx,y", "aSTARTSWITHp"].map((q) => parseEncodedQuery(q).groups[0]![0]![0]!.op);
    expect(ops).toEqual(["NOT LIKE", ">=", "ISNOTEMPTY", "NOT IN", "STARTSWITH"]);
  });

  test("keeps segments without an operator as invalid instead of failing", () => {
    expect(parseEncodedQuery("state=1^garbage").invalid).toEqual(["garbage"]);
  });
});

describe("runQuery", () => {
  test("compares integers as numbers and strings case-insensitively", () => {
    const { numbers } = setup();
    expect(numbers("priority<=3^ORDERBYpriority")).toEqual(["VPN down", "Caret ^ in text"]);
    expect(numbers("short_description=vpn DOWN")).toEqual(["VPN down"]);
  });

  test("supports every documented operator", () => {
    const { numbers } = setup();
    expect(numbers("priority!=5")).toEqual(["VPN down", "Caret ^ in text", "Disk full"]);
    expect(numbers("priority>3")).toEqual(["Printer jam", "Disk full"]);
    expect(numbers("priority>=4")).toEqual(["Printer jam", "Disk full"]);
    expect(numbers("priority<3")).toEqual(["VPN down"]);
    expect(numbers("priorityIN1,5")).toEqual(["VPN down", "Printer jam"]);
    expect(numbers("priorityNOT IN1,5")).toEqual(["Caret ^ in text", "Disk full"]);
    expect(numbers("correlation_idSTARTSWITHposturedesk:")).toEqual(["VPN down", "Caret ^ in text"]);
    expect(numbers("short_descriptionENDSWITHfull")).toEqual(["Disk full"]);
    expect(numbers("short_descriptionLIKEjam")).toEqual(["Printer jam"]);
    expect(numbers("short_descriptionNOT LIKEa")).toEqual(["VPN down", "Disk full"]);
    expect(numbers("correlation_idISEMPTY")).toEqual(["Disk full"]);
    expect(numbers("assigned_toISNOTEMPTY")).toEqual(["VPN down"]);
  });

  test("combines ^, ^OR and ^NQ like the platform", () => {
    const { numbers } = setup();
    expect(numbers("priority=1^ORpriority=5^short_descriptionLIKEp")).toEqual(["VPN down", "Printer jam"]);
    expect(numbers("priority=1^NQpriority=4^short_descriptionLIKEdisk")).toEqual(["VPN down", "Disk full"]);
  });

  test("matches a value containing an escaped caret literally", () => {
    const { numbers } = setup();
    expect(numbers("short_description=Caret ^^ in text")).toEqual(["Caret ^ in text"]);
    // Unescaped, the caret splits the condition and the rest is dropped as an invalid segment.
    expect(numbers("short_descriptionSTARTSWITHCaret ^ in text")).toEqual(["Caret ^ in text"]);
  });

  test("drops conditions on unknown fields, so the query matches more rows", () => {
    const { numbers } = setup();
    expect(numbers("no_such_field=1^priority=1")).toEqual(["VPN down"]);
    expect(numbers("no_such_field=1")).toHaveLength(4);
  });

  test("compares dates as instants, a bare date meaning midnight UTC", () => {
    const { numbers } = setup();
    expect(numbers("sys_created_on>=2024-05-01 10:25:00")).toEqual(["Caret ^ in text", "Disk full"]);
    expect(numbers("sys_created_on>2024-05-01")).toHaveLength(4);
    expect(numbers("sys_created_on<2024-05-01")).toHaveLength(0);
    expect(numbers("sys_created_onBETWEENjavascript:gs.dateGenerate('2024-05-01','10:15:00')@2024-05-01 10:35:00")).toEqual([
      "Printer jam",
      "Caret ^ in text",
    ]);
  });

  test("orders by several keys, descending, with ties in insertion order", () => {
    const { numbers } = setup();
    expect(numbers("ORDERBYDESCpriority^ORDERBYnumber")).toEqual(["Printer jam", "Disk full", "Caret ^ in text", "VPN down"]);
    expect(numbers("ORDERBYDESCsys_created_on")[0]).toBe("Disk full");
  });

  test("walks references with dot notation", () => {
    const { numbers } = setup();
    expect(numbers("assigned_to.email=beth@example.com")).toEqual(["VPN down"]);
    expect(numbers("assignment_group.nameSTARTSWITHnet")).toEqual(["Caret ^ in text"]);
  });
});
