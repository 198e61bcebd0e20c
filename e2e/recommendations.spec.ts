import { type Page } from "@playwright/test";
import { waitForIngestion } from "./support/demo";
import { describeAs, expect, test } from "./support/test";

// The recommendations workspace on the demo data: `npm start` registered the emulator's tenant and its
// in-process worker ran the first Defender ingestion (lib/demo/azure.ts). Screenshots go to
// test-results/screens/ for a person to look at.

const SHOTS = "test-results/screens";

async function rowsOf(page: Page) {
  return page.getByRole("table", { name: "Recommendations" }).locator("tbody tr");
}

describeAs("analyst", "recommendations workspace", () => {
  test("an analyst filters to High severity without tickets, opens a recommendation and sees its resources with their statuses", async ({
    page,
  }) => {
    await waitForIngestion(page.request);
    await page.goto("/recommendations");
    await expect(page.getByRole("heading", { level: 1, name: "Recommendations" })).toBeVisible();
    const rows = await rowsOf(page);
    await expect(rows.first()).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/recommendations-list.png`, fullPage: true });

    // Keyboard: the severity filter is a toggle button.
    const high = page.getByRole("group", { name: "Severity" }).getByRole("button", { name: "High" });
    await high.focus();
    await page.keyboard.press("Enter");
    await expect(high).toHaveAttribute("aria-pressed", "true");
    await expect(page).toHaveURL(/severity=High/);
    await page.getByLabel("Tickets").selectOption("false");
    await expect(page).toHaveURL(/hasTicket=false/);

    await expect(rows.first()).toBeVisible();
    const count = await rows.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i++) {
      await expect(rows.nth(i).locator("td").nth(1)).toHaveText(/High/);
      await expect(rows.nth(i).locator("td").nth(3)).toHaveText(/None|—/);
    }
    await page.screenshot({ path: `${SHOTS}/recommendations-high-without-tickets.png`, fullPage: true });

    // The filtered view is in the URL: opened directly, the server renders the same rows (first paint).
    const html = await (await page.request.get(page.url())).text();
    const firstName = (await rows.first().getByRole("link").textContent())!.trim();
    expect(html).toContain(firstName.replace(/&/g, "&amp;"));

    await rows.first().getByRole("link").click();
    await expect(page).toHaveURL(/\/recommendations\/[0-9a-f-]+/);
    await expect(page.getByRole("heading", { level: 1, name: firstName })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Remediation steps" })).toBeVisible();
    const resources = page.getByRole("table", { name: "Affected resources" }).locator("tbody tr");
    await expect(resources.first()).toBeVisible();
    const statuses = await resources.locator("td:nth-child(3)").allTextContents();
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => /Unhealthy|Healthy|Not applicable/.test(s))).toBe(true);
    expect(statuses.some((s) => s.includes("Unhealthy"))).toBe(true);
    // An analyst may select unhealthy resources for ticket actions (the ticket feature's slot).
    const firstCheckbox = resources.locator("input[type=checkbox]:not([disabled])").first();
    await firstCheckbox.check();
    await expect(page.getByRole("region", { name: "Actions on selected resources" })).toContainText("1 selected");
    await expect(page.getByRole("button", { name: /Create ticket/ })).toBeEnabled();
    await page.screenshot({ path: `${SHOTS}/recommendation-detail.png`, fullPage: true });
  });

  test("the per-resource view keeps the filters and lists findings with their status", async ({ page }) => {
    await waitForIngestion(page.request);
    await page.goto("/recommendations?severity=High&hasTicket=false");
    await page.getByRole("link", { name: "By resource" }).click();
    await expect(page).toHaveURL(/\/findings\?severity=High&hasTicket=false/);
    const rows = page.getByRole("table", { name: "Affected resources" }).locator("tbody tr");
    await expect(rows.first()).toBeVisible();
    const severities = await rows.locator("td:nth-child(4)").allTextContents();
    expect(severities.every((s) => s.includes("High"))).toBe(true);
    await page.screenshot({ path: `${SHOTS}/findings-high-without-tickets.png`, fullPage: true });
  });

  test("filters that match nothing show an empty state, not an error", async ({ page }) => {
    await page.goto("/recommendations?q=no-such-recommendation-anywhere");
    await expect(page.getByText("No recommendation matches these filters")).toBeVisible();
  });
});

describeAs("admin", "Azure tenant connection", () => {
  test("the demo tenant is registered and its first ingestion finished; the connection test passes", async ({ page }) => {
    await waitForIngestion(page.request);
    await page.goto("/connections");
    const section = page.getByRole("region", { name: "Azure tenants" });
    const row = section.getByRole("row", { name: /Contoso \(emulator\)/ });
    await expect(row).toBeVisible();
    await expect(row.getByText(/Succeeded|Partial/)).toBeVisible({ timeout: 60_000 });
    await row.getByRole("button", { name: /Test connection/ }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog.getByText("Connection works.")).toBeVisible({ timeout: 30_000 });
    await page.screenshot({ path: `${SHOTS}/connections-azure-test.png`, fullPage: true });
  });
});
