import { storageStatePath } from "./support/personas";
import { describeAs, expect, test } from "./support/test";

// The landing page end to end (e2e instance, seed 42, demo size): everyone lands on the overview —
// secure score, unhealthy findings by severity, open / overdue tickets, coverage, drift, each
// connection's last and next sync, the recent runs — and each number opens the view that explains it.

type Overview = {
  findings: { high: number };
  syncs: Array<{ name: string; kind: string; lastRun: { id: string } | null }>;
  recentRuns: Array<{ id: string }>;
};

describeAs("manager", "overview", () => {
  test("GET / – a manager sees the headline numbers, the sync state of every connection and the recent runs, and follows them", async ({
    page,
  }) => {
    test.setTimeout(240_000);
    // The demo's first runs are what the page shows: wait until one has finished.
    let overview: Overview | undefined;
    await expect
      .poll(
        async () => (overview = (await (await page.request.get("/api/overview")).json()) as Overview).syncs.filter((s) => s.lastRun).length,
        { timeout: 180_000, message: "a first sync run" },
      )
      .toBeGreaterThan(0);

    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    const high = page.getByRole("link", { name: /^High severity/ });
    await expect(high).toContainText(overview!.findings.high.toLocaleString("en-US"));
    for (const label of [
      "Secure score",
      "Medium severity",
      "Low severity",
      "Ticket coverage",
      "Open tickets",
      "Overdue tickets",
      "Drift",
    ]) {
      await expect(page.getByRole("link", { name: new RegExp(`^${label}`) })).toBeVisible();
    }
    const connections = page.getByRole("table", { name: "Connections and their sync" });
    for (const s of overview!.syncs) await expect(connections.getByRole("row").filter({ hasText: s.name })).toBeVisible();
    const runs = page.getByRole("table", { name: "Recent sync runs" });
    // Runs keep arriving (the scheduler, the webhook): at least those the API listed, at most eight.
    await expect(runs.getByRole("link").first()).toBeVisible();
    expect(await runs.getByRole("row").count()).toBeGreaterThanOrEqual(1 + Math.min(1, overview!.recentRuns.length));
    await page.screenshot({ path: "test-results/screens/overview.png", fullPage: true });

    await high.click();
    await expect(page).toHaveURL(/\/findings\?status=Unhealthy&severity=High$/);
    await page.goBack();
    await page.getByRole("link", { name: /^Secure score/ }).click();
    await expect(page).toHaveURL(/\/compliance$/);
    await page.goBack();
    const withRun = overview!.syncs.find((s) => s.lastRun)!;
    await connections.getByRole("row").filter({ hasText: withRun.name }).getByRole("link").first().click();
    await expect(page).toHaveURL(new RegExp(`/sync/${withRun.lastRun!.id}$`));
  });

  test("GET / – an analyst lands on the same overview", async ({ browser, baseURL }) => {
    const context = await browser.newContext({ storageState: storageStatePath("analyst"), baseURL });
    const page = await context.newPage();
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    await expect(page.getByRole("table", { name: "Connections and their sync" })).toBeVisible();
    await context.close();
  });
});
