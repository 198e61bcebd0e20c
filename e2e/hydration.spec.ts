import { type APIRequestContext, type Page } from "@playwright/test";
import { NAV_ITEMS } from "../components/shell/nav-items";
import { complianceSummary, json } from "./support/demo";
import { storageStatePath } from "./support/personas";
import { expect, test } from "./support/test";

// Every page renders its first view on the server (en-US, UTC on these machines) and hydrates in the
// browser. A viewer elsewhere — here Auckland with a German browser — must get the same markup at
// hydration: a mismatch is React error #418 (a page error / console error) and a full client re-render.
// After hydration, dates switch to the viewer's locale and time zone.

type Page1<T> = { items: T[]; total: number };
type Summary = { standards: Array<{ name: string; failed: number }> };
type StandardDetail = { controls: Array<{ name: string; state: string }> };

const seg = encodeURIComponent;

/** The detail pages, once the demo has data for them: a recommendation with a ticket, a ticket, a finished sync run, a failing control. */
async function detailPages(api: APIRequestContext): Promise<Array<{ name: string; path: string }>> {
  await expect
    .poll(async () => (await json<Page1<unknown>>(api, "/api/tickets?pageSize=1")).total, {
      timeout: 180_000,
      message: "the demo tickets after the first ingestion",
    })
    .toBeGreaterThan(0);
  const summary = await complianceSummary<Summary>(api);
  const recommendation = (await json<Page1<{ key: string }>>(api, "/api/recommendations?hasTicket=true&pageSize=1")).items[0];
  const ticket = (await json<Page1<{ id: string }>>(api, "/api/tickets?pageSize=1")).items[0];
  const run = (await json<Page1<{ id: string }>>(api, "/api/sync-runs?status=succeeded&status=partial&pageSize=1")).items[0];
  expect(recommendation && ticket && run, "a ticketed recommendation, a ticket and a finished sync run").toBeTruthy();
  const standard = summary.standards.find((s) => s.failed > 0) ?? summary.standards[0]!;
  const detail = await json<StandardDetail>(api, `/api/compliance/standards/${seg(standard.name)}`);
  const control = detail.controls.find((c) => c.state === "Failed") ?? detail.controls[0];
  expect(control, `a control of ${standard.name}`).toBeTruthy();
  return [
    { name: "recommendation detail", path: `/recommendations/${recommendation!.key}` },
    { name: "ticket detail", path: `/tickets/${ticket!.id}` },
    { name: "sync run detail", path: `/sync/${run!.id}` },
    { name: "compliance drill-down", path: `/compliance?standard=${seg(standard.name)}&control=${seg(control!.name)}` },
  ];
}

/** Waits until the page is interactive: its scripts loaded and ran, its first queries settled. */
async function settle(page: Page): Promise<void> {
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.waitForLoadState("networkidle");
  // Hydration errors are reported from React's scheduler tasks: let them run.
  await page.evaluate(() => new Promise<void>((resolve) => setTimeout(resolve, 250)));
}

test.describe("hydration", () => {
  test.use({ storageState: storageStatePath("admin"), locale: "de-DE", timezoneId: "Pacific/Auckland" });

  test("GET every page – an admin in Auckland with a German browser gets no hydration error, and dates in local time", async ({ page }) => {
    test.setTimeout(360_000);
    const pages = [...NAV_ITEMS.map((item) => ({ name: item.label, path: item.href })), ...(await detailPages(page.request))];

    let errors: string[] = [];
    page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`console error: ${message.text()}`);
    });

    for (const { name, path } of pages) {
      await test.step(`${name} (${path})`, async () => {
        errors = [];
        const response = await page.goto(path);
        expect(response?.status(), path).toBe(200);
        await settle(page);
        expect.soft(errors, `${name} (${path}) hydrates without errors`).toEqual([]);
        // Once hydrated, every date is in the viewer's time zone (the server's deterministic form says UTC)
        // and carries the full local date-time as its title.
        const times = page.locator("main time");
        await expect
          .poll(async () => (await times.allTextContents()).filter((text) => text.includes("UTC")), {
            message: `${name}: dates in local time`,
          })
          .toEqual([]);
        for (const title of await times.evaluateAll((nodes) => nodes.map((n) => n.getAttribute("title") ?? "")))
          expect.soft(title, `${name}: a title on every date`).not.toBe("");
      });
    }
  });
});
