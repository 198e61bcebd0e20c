import { describe, expect, test } from "vitest";
import { pageQuery } from "./page-query";

describe("pageQuery", () => {
  test("returns our records from watermark − overlap, ordered by sys_updated_on then sys_id, for the first page", () => {
    expect(pageQuery("posturedesk", new Date("2026-01-02T03:04:05.678Z"), null).toString("incident")).toBe(
      "correlation_idSTARTSWITHposturedesk:^sys_updated_on>=2026-01-02 03:04:05^ORDERBYsys_updated_on^ORDERBYsys_id",
    );
    expect(pageQuery("posturedesk", null, null).toString("incident")).toBe(
      "correlation_idSTARTSWITHposturedesk:^ORDERBYsys_updated_on^ORDERBYsys_id",
    );
  });

  test("returns the records after the cursor (later second, or same second and greater sys_id) for the next pages", () => {
    expect(pageQuery("pd", null, { updatedOn: "2026-01-02 03:04:05", sysId: "a".repeat(32) }).toString("problem")).toBe(
      `correlation_idSTARTSWITHpd:^sys_updated_on>2026-01-02 03:04:05^NQcorrelation_idSTARTSWITHpd:^sys_updated_on=2026-01-02 03:04:05^sys_id>${"a".repeat(32)}^ORDERBYsys_updated_on^ORDERBYsys_id`,
    );
  });
});
