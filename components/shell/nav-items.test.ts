import { describe, expect, it } from "vitest";
import { NAV_ITEMS } from "@/components/shell/nav-items";
import { pageRole } from "@/lib/auth/page-access";

describe("main navigation", () => {
  it("shows each item to the roles of the page access table the server checks", () => {
    for (const item of NAV_ITEMS) expect(item.role).toBe(pageRole(item.href));
    expect(NAV_ITEMS.find((i) => i.href === "/connections")?.role).toBe("analyst");
    expect(NAV_ITEMS.find((i) => i.href === "/rules")?.role).toBe("admin");
  });
});
