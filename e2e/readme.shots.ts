import { storageStatePath } from "./support/personas";
import { expect, test } from "./support/test";

// README screenshots of the issue-17 pages at 1366×800, like the others in docs/screenshots. Not part of
// the e2e run (its name does not end in .spec.ts): `npm run build`, then
// `E2E_PORT=3102 npx playwright test -c playwright.screenshots.config.ts` writes them to docs/screenshots.
test.use({ storageState: storageStatePath("manager"), viewport: { width: 1366, height: 800 } });
test.setTimeout(300_000);
const OUT = "docs/screenshots";

test("secure score by control, a regulatory drill-down and saved views", async ({ page }) => {
  // Secure score by control, one control opened.
  await page.goto("/compliance");
  const controls = page.getByRole("region", { name: "Secure score by control" });
  const first = controls.getByRole("table", { name: "Secure score by control" }).getByRole("button").first();
  await first.click();
  await expect(controls.getByRole("list").first().getByRole("link").first()).toBeVisible();
  await controls.evaluate((el) => el.scrollIntoView({ block: "start" }));
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${OUT}/secure-score-controls.png` });

  // Regulatory standard → control → its recommendations.
  await first.click();
  const standards = page.getByRole("region", { name: "Regulatory standards" });
  await standards.getByRole("table", { name: "Regulatory standards" }).getByRole("button").first().click();
  const failing = standards
    .getByRole("table", { name: /^Controls of / })
    .getByRole("button", { name: /: Failed$/ })
    .first();
  await failing.click();
  await expect(standards.getByRole("table", { name: /^Assessments of control / })).toBeVisible();
  await standards.evaluate((el) => el.scrollIntoView({ block: "start" }));
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${OUT}/regulatory-drilldown.png` });

  // Saved views.
  await page.goto("/findings?severity=High&hasTicket=false&sort=-changed");
  await page.getByRole("button", { name: "Save view" }).click();
  const dialog = page.getByRole("dialog", { name: "Save this view" });
  await dialog.getByLabel("Name").fill("High severity without a ticket");
  await dialog.getByLabel("Share with everyone who can open this page").check();
  await dialog.getByRole("button", { name: "Save view" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByText("View: High severity without a ticket")).toBeVisible({ timeout: 30_000 });
  await page.getByRole("button", { name: "Saved views" }).click();
  await expect(page.getByRole("dialog", { name: "Saved views" })).toBeVisible();
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${OUT}/saved-views.png` });
});

test("the CVEs of a vulnerability recommendation", async ({ page }) => {
  // CVEs of the machines vulnerability recommendation.
  const MACHINES = "Machines should have vulnerability findings resolved";
  const res = await page.request.get(`/api/recommendations?q=${encodeURIComponent(MACHINES)}`);
  const key = ((await res.json()) as { items: Array<{ key: string; displayName: string }> }).items.find(
    (r) => r.displayName === MACHINES,
  )!.key;
  await page.goto(`/recommendations/${key}`);
  const table = page.getByRole("table", { name: "Vulnerabilities of this recommendation's resources" });
  await expect(table.locator("tbody tr").first()).toBeVisible();
  await table.evaluate((el) => window.scrollBy(0, el.getBoundingClientRect().top - 190));
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${OUT}/vulnerabilities.png` });
});
