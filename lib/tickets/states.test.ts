import { describe, expect, test } from "vitest";
import { normalizeTicketState, tableOfNumber, ticketNumberToInteger, ticketStateLabel, ticketUrl } from "./states";

describe("normalizeTicketState", () => {
  test.each([
    ["incident", "2", "open"],
    ["incident", "6", "resolved"],
    ["incident", "7", "closed"],
    ["incident", "8", "canceled"],
    ["problem", "103", "open"],
    ["problem", "106", "resolved"],
    ["problem", "107", "closed"],
    ["change_request", "-1", "open"],
    ["change_request", "3", "closed"],
    ["change_request", "4", "canceled"],
    ["sn_vulc_result_group", "101", "resolved"],
    ["sn_vulc_result_group", "3", "closed"],
  ] as const)("%s state %s is %s", (table, raw, state) => {
    expect(normalizeTicketState(table, raw)).toBe(state);
  });

  test("treats an unknown state as open and labels it with its raw value", () => {
    expect(normalizeTicketState("incident", "42")).toBe("open");
    expect(ticketStateLabel("incident", "42")).toBe("42");
    expect(ticketStateLabel("change_request", "-5")).toBe("New");
  });
});

describe("ticketNumberToInteger", () => {
  test("returns the digits of a number as an integer", () => {
    expect(ticketNumberToInteger("INC0010001")).toBe(10001);
    expect(ticketNumberToInteger("CHG0030001")).toBe(30001);
  });
  test("returns null without digits or beyond a safe integer", () => {
    expect(ticketNumberToInteger("INC")).toBeNull();
    expect(ticketNumberToInteger("INC99999999999999999999")).toBeNull();
  });
});

describe("tableOfNumber and ticketUrl", () => {
  test("maps ServiceNow prefixes to tables", () => {
    expect(tableOfNumber("inc0010001")).toBe("incident");
    expect(tableOfNumber("PRB0040001")).toBe("problem");
    expect(tableOfNumber("CHG0030001")).toBe("change_request");
    expect(tableOfNumber("RITM0010001")).toBeNull();
  });
  test("links to the record in the classic UI", () => {
    expect(ticketUrl("https://acme.service-now.com/", "incident", "abc")).toBe(
      "https://acme.service-now.com/nav_to.do?uri=incident.do%3Fsys_id%3Dabc",
    );
  });
});
