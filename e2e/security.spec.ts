import { expect, test } from "./support/test";
import { storageStatePath } from "./support/personas";
import { signIn } from "./support/sign-in";

// Security controls seen from a real browser against the production build (issue 15): the CSP header
// on every HTML and flight response (prefetch included), the sign-in page never carrying a hostile
// return path, and "Sign out everywhere" ending every session of the person.

test.describe("security in the browser", () => {
  test("every HTML, prefetch and RSC response carries the CSP header", async ({ page, request }) => {
    await signIn(page, "analyst");
    const cookies = await page.context().cookies();
    const cookie = cookies.map((c) => `${c.name}=${c.value}`).join("; ");
    const variants: Array<Record<string, string>> = [
      {},
      { "next-router-prefetch": "1", rsc: "1" },
      { purpose: "prefetch", "next-router-prefetch": "1" },
      { rsc: "1" },
      { "sec-purpose": "prefetch", "next-router-prefetch": "1", rsc: "1", "next-router-segment-prefetch": "/_tree" },
    ];
    for (const path of ["/", "/recommendations", "/tickets", "/signin", "/signed-out"]) {
      for (const headers of variants) {
        const res = await request.get(path, { headers: { ...headers, cookie }, maxRedirects: 0 });
        expect(res.status(), `${path} ${JSON.stringify(headers)}`).toBeLessThan(400);
        expect(res.headers()["content-security-policy"], `${path} ${JSON.stringify(headers)}`).toContain("frame-ancestors 'none'");
      }
    }
  });

  test("the sign-in page never offers a login link carrying a hostile return path", async ({ page }) => {
    for (const hostile of ["/\t/evil.example/phish", "/\n/evil.example", "/\\evil.example", "//evil.example"]) {
      await page.goto(`/signin?returnTo=${encodeURIComponent(hostile)}`);
      const href = await page.getByRole("link", { name: "Sign in with Microsoft" }).getAttribute("href");
      expect(href).toBe("/api/auth/login");
    }
    await page.goto(`/signin?returnTo=${encodeURIComponent("/tickets?state=open")}`);
    expect(await page.getByRole("link", { name: "Sign in with Microsoft" }).getAttribute("href")).toBe(
      `/api/auth/login?returnTo=${encodeURIComponent("/tickets?state=open")}`,
    );
  });

  test("Sign out everywhere ends the person's sessions in every browser", async ({ page, browser, baseURL }) => {
    await signIn(page, "manager");
    const other = await browser.newContext({ baseURL });
    try {
      const second = await other.newPage();
      await signIn(second, "manager");
      await page.getByRole("button", { name: "Sign out everywhere" }).click();
      await expect(page.getByRole("heading", { name: "You are signed out" })).toBeVisible();
      // The other browser's session is gone too.
      expect((await second.request.get("/api/auth/me")).status()).toBe(401);
      await second.goto("/recommendations");
      await expect(second.getByRole("link", { name: "Sign in with Microsoft" })).toBeVisible();
    } finally {
      await other.close();
      // That also ended the manager session global-setup saved for the other specs: save a fresh one.
      const fresh = await browser.newContext({ baseURL });
      try {
        await signIn(await fresh.newPage(), "manager");
        await fresh.storageState({ path: storageStatePath("manager") });
      } finally {
        await fresh.close();
      }
    }
  });
});
