import { describe, expect, it } from "vitest";
import { canOpen, pageRole, pageRoleLabel } from "@/lib/auth/page-access";
import { expectCases } from "@/test/cases";

describe("page access table", () => {
  it("gives each page the role its server check uses", () => {
    expectCases(pageRole, [
      ["/rules", "admin"],
      ["/audit?actor=x", "admin"],
      ["/settings/tokens", "admin"],
      ["/connections#azure", "analyst"],
      ["/", "manager"],
      ["/findings/123", "manager"],
      // A prefix is a path segment, not a string prefix.
      ["/rulesets", "manager"],
    ]);
    expect(pageRoleLabel("/connections")).toBe("Analyst");
  });

  it("lets a manager open only the read-only pages", () => {
    expect(canOpen("MANAGER", "/tickets?state=open")).toBe(true);
    expect(canOpen("MANAGER", "/connections")).toBe(false);
    expect(canOpen("MANAGER", "/rules")).toBe(false);
    expect(canOpen("ANALYST", "/connections")).toBe(true);
    expect(canOpen("ANALYST", "/audit")).toBe(false);
    expect(canOpen("ADMIN", "/settings/tokens")).toBe(true);
    expect(canOpen(null, "/")).toBe(false);
    // Links out of the app and API links answer for themselves.
    expect(canOpen("MANAGER", "https://portal.azure.com/#blade")).toBe(true);
    expect(canOpen("MANAGER", "/api/compliance/export.csv")).toBe(true);
  });
});
