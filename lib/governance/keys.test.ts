import { describe, expect, test } from "vitest";
import { governanceAssignmentKey } from "./keys";

describe("governanceAssignmentKey", () => {
  test("returns a stable version-5 UUID per finding, case-insensitive", () => {
    const key = governanceAssignmentKey("/subscriptions/S/providers/Microsoft.Security/assessments/k");
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(governanceAssignmentKey("/subscriptions/s/providers/microsoft.security/assessments/K")).toBe(key);
    expect(governanceAssignmentKey("/subscriptions/s/providers/Microsoft.Security/assessments/other")).not.toBe(key);
  });
});
