import { describe, expect, test } from "vitest";
import { parseEncodedQuery } from "@/emulators/servicenow/query-parser";
import { AppError } from "@/lib/http/errors";
import { formatServiceNowDateTime, parseServiceNowDateTime } from "./dates";
import { isKnownField, SERVICENOW_FIELDS } from "./fields";
import { q } from "./query";
import { TABLES } from "@/emulators/servicenow/schema";

describe("q()", () => {
  test("builds AND, OR, NQ and ORDERBY clauses in order", () => {
    const query = q()
      .eq("active", true)
      .startsWith("correlation_id", "posturedesk:")
      .gte("sys_updated_on", new Date(Date.UTC(2024, 0, 2, 3, 4, 5)))
      .eq("state", 1)
      .or()
      .eq("state", 2)
      .newQuery()
      .isEmpty("assigned_to")
      .orderBy("sys_updated_on")
      .orderByDesc("number");
    expect(query.toString("incident")).toBe(
      "active=true^correlation_idSTARTSWITHposturedesk:^sys_updated_on>=2024-01-02 03:04:05^state=1^ORstate=2^NQassigned_toISEMPTY^ORDERBYsys_updated_on^ORDERBYDESCnumber",
    );
  });

  test("renders every operator", () => {
    const query = q()
      .ne("a", 1)
      .gt("b", 2)
      .lt("c", 3)
      .lte("d", 4)
      .in("e", [1, 2])
      .notIn("f", ["x", "y"])
      .endsWith("g", "z")
      .like("h", "mid")
      .notLike("i", "no")
      .isNotEmpty("j");
    expect(query.toString()).toBe("a!=1^b>2^c<3^d<=4^eIN1,2^fNOT INx,y^gENDSWITHz^hLIKEmid^iNOT LIKEno^jISNOTEMPTY");
  });

  test("escapes a caret so a value cannot inject a condition", () => {
    const hostile = "x^NQactive=true";
    const encoded = q().eq("correlation_id", hostile).toString("incident");
    expect(encoded).toBe("correlation_id=x^^NQactive=true");
    // The platform's parser (as emulated) reads one condition with the literal value back.
    expect(parseEncodedQuery(encoded).groups).toEqual([[[{ field: "correlation_id", op: "=", value: hostile }]]]);
  });

  test("refuses IN values with a comma and values with line breaks", () => {
    expect(() => q().in("state", ["1,2"])).toThrow(AppError);
    expect(() => q().eq("short_description", "a\nb")).toThrow(AppError);
  });

  test("refuses unknown fields for a table before anything is sent", () => {
    expect(() => q().eq("corelation_id", "x").toString("incident")).toThrow(/Unknown field 'corelation_id'/);
    expect(() => q().eq("assigned_to.emial", "x").toString("incident")).toThrow(AppError);
    expect(q().eq("assigned_to.email", "x").toString("incident")).toBe("assigned_to.email=x");
  });

  test("refuses a dangling or() and malformed field names", () => {
    expect(() => q().eq("state", 1).or().toString()).toThrow(AppError);
    expect(() => q().or().eq("state", 1)).toThrow(AppError);
    expect(() => q().eq("state=1^active", 1)).toThrow(AppError);
  });
});

describe("ServiceNow dates", () => {
  test("formats and parses UTC without a zone", () => {
    const date = new Date(Date.UTC(2024, 1, 29, 23, 59, 58));
    expect(formatServiceNowDateTime(date)).toBe("2024-02-29 23:59:58");
    expect(parseServiceNowDateTime("2024-02-29 23:59:58")?.toISOString()).toBe("2024-02-29T23:59:58.000Z");
    expect(parseServiceNowDateTime("2024-02-29")?.toISOString()).toBe("2024-02-29T00:00:00.000Z");
  });

  test("returns null for empty or invalid values", () => {
    expect(parseServiceNowDateTime("")).toBeNull();
    expect(parseServiceNowDateTime("2023-02-29 00:00:00")).toBeNull();
    expect(parseServiceNowDateTime("2024-01-01T00:00:00Z")).toBeNull();
  });
});

describe("known fields", () => {
  test("every field the client knows exists in the emulated dictionary", () => {
    for (const [table, fields] of Object.entries(SERVICENOW_FIELDS)) {
      const def = TABLES.get(table);
      expect(def, table).toBeDefined();
      for (const field of fields) expect(Object.keys(def!.fields), `${table}.${field}`).toContain(field);
    }
  });

  test("accepts dot-walks through known references only", () => {
    expect(isKnownField("incident", "cmdb_ci.object_id")).toBe(true);
    expect(isKnownField("incident", "short_description.name")).toBe(false);
  });
});
