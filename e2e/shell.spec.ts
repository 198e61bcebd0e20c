import { expect, test } from "./support/test";
import { NAV_ITEMS } from "../components/shell/nav-items";
import { hasRole } from "../lib/auth/roles";
import { PERSONAS, type Persona } from "./support/personas";
import { signIn } from "./support/sign-in";

const ROLE: Record<Exclude<Persona, "norole">, "ADMIN" | "ANALYST" | "MANAGER"> = {
  admin: "ADMIN",
  analyst: "ANALYST",
  manager: "MANAGER",
};

test.describe("sign-in and the app shell", () => {
  for (const persona of ["admin", "analyst", "manager"] as const) {
    test(`${PERSONAS[persona].name} signs in through Entra ID, sees the navigation of the ${PERSONAS[persona].role} role, opens every page, signs out`, async ({
      page,
    }) => {
      await signIn(page, persona);
      const nav = page.getByRole("navigation", { name: "Main" });
      const visible = NAV_ITEMS.filter((item) => hasRole(ROLE[persona], item.role));
      const hidden = NAV_ITEMS.filter((item) => !hasRole(ROLE[persona], item.role));
      for (const item of visible) await expect(nav.getByRole("link", { name: item.label })).toBeVisible();
      for (const item of hidden) await expect(nav.getByRole("link", { name: item.label })).toHaveCount(0);

      for (const item of visible) {
        await nav.getByRole("link", { name: item.label }).click();
        await expect(page).toHaveURL(new RegExp(`${item.href === "/" ? "/$" : item.href}`));
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await expect(page.getByText("You do not have access to this page")).toHaveCount(0);
      }
      await page.screenshot({ path: `test-results/screens/shell-${persona}.png`, fullPage: false });

      await page.getByRole("button", { name: "Sign out", exact: true }).click();
      await expect(page.getByRole("heading", { name: "You are signed out" })).toBeVisible();
      await page.goto("/recommendations");
      await expect(page).toHaveURL(/\/signin\?returnTo=%2Frecommendations/);
    });
  }

  test("a person without a PostureDesk role gets the no-access page and no data", async ({ page }) => {
    await signIn(page, "norole");
    await expect(page.getByText("has no PostureDesk role")).toBeVisible();
    await page.goto("/recommendations");
    await expect(page).toHaveURL(/\/no-access$/);
    const api = await page.request.get("/api/auth/me");
    expect(api.status()).toBe(403);
  });

  test("a manager opening an admin page directly is refused", async ({ page }) => {
    await signIn(page, "manager", "/rules");
    await expect(page.getByText("You do not have access to this page")).toBeVisible();
  });
});
