import { describe, expect, test } from "vitest";
import { correlationBase, correlationId, generationOf } from "./correlation";

const A = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1/providers/Microsoft.Security/assessments/k1";
const B = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm2/providers/Microsoft.Security/assessments/k1";

describe("correlationBase", () => {
  test("returns the same id whatever the order and case of the findings", () => {
    expect(correlationBase("posturedesk", "incident", [A, B])).toBe(correlationBase("posturedesk", "incident", [B.toUpperCase(), A]));
  });

  test("returns different ids for another type, another set or another prefix", () => {
    const base = correlationBase("posturedesk", "incident", [A, B]);
    expect(correlationBase("posturedesk", "problem", [A, B])).not.toBe(base);
    expect(correlationBase("posturedesk", "incident", [A])).not.toBe(base);
    expect(correlationBase("other", "incident", [A, B])).not.toBe(base);
  });

  test("stays within ServiceNow's 100 characters with the longest prefix and a large generation", () => {
    const id = correlationId(correlationBase("a".repeat(30), "change_request", [A]), 999_999);
    expect(id.length).toBeLessThanOrEqual(100);
    expect(id).toMatch(/^a{30}:chg:[0-9a-f]{32}:g999999$/);
  });

  test("refuses an empty set", () => {
    expect(() => correlationBase("p", "incident", [])).toThrow();
  });
});

describe("generationOf", () => {
  const base = correlationBase("p", "incident", [A]);
  test("reads the generation of an id of the same base", () => {
    expect(generationOf(correlationId(base, 3), base)).toBe(3);
  });
  test("returns null for another base, a foreign id or nothing", () => {
    expect(generationOf(correlationId(correlationBase("p", "incident", [B]), 1), base)).toBeNull();
    expect(generationOf("splunk-123", base)).toBeNull();
    expect(generationOf(`${base}:gx`, base)).toBeNull();
    expect(generationOf(null, base)).toBeNull();
  });
});
