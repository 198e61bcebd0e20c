import { readFileSync } from "node:fs";
import { type APIRequestContext, type Page } from "@playwright/test";
import { complianceSummary, json } from "./support/demo";
import { storageStatePath } from "./support/personas";
import { describeAs, expect, test } from "./support/test";

// The compliance view end to end (e2e instance: seed 42, demo size, its demo connection): a manager
// opens /compliance, filters to one subscription and one standard, drills into a failing control, sees
// the tickets linked to its failing assessment, exports the CSV and prints the report. The ticket is
// seeded by an analyst through the API first, so the drill-down has one to show whatever the demo did.

type Summary = {
  subscriptions: Array<{ subscriptionId: string; displayName: string }>;
  standards: Array<{ name: string; failed: number }>;
  trend: unknown[];
};
type StandardDetail = { controls: Array<{ name: string; state: string }> };
type ControlDetail = {
  assessments: Array<{
    recommendation: { key: string; displayName: string } | null;
    unhealthyFindings: number;
    tickets: Array<{ number: string }>;
  }>;
};
type Target = {
  subscription: { subscriptionId: string; displayName: string };
  standard: string;
  control: string;
  recommendationKey: string;
  recommendationName: string;
};

const seg = encodeURIComponent;

/** A failing control of one subscription whose failing assessment has unhealthy findings (after the first full ingestion). */
async function findTarget(api: APIRequestContext): Promise<Target> {
  const summary = await complianceSummary<Summary>(api);
  for (const subscription of summary.subscriptions) {
    for (const standard of summary.standards.filter((s) => s.failed > 0)) {
      const detail = await json<StandardDetail>(
        api,
        `/api/compliance/standards/${seg(standard.name)}?subscriptionId=${subscription.subscriptionId}`,
      );
      for (const control of detail.controls.filter((c) => c.state === "Failed").slice(0, 5)) {
        const ctl = await json<ControlDetail>(
          api,
          `/api/compliance/standards/${seg(standard.name)}/controls/${seg(control.name)}?subscriptionId=${subscription.subscriptionId}`,
        );
        const assessment = ctl.assessments.find((a) => a.recommendation && a.unhealthyFindings > 0);
        if (assessment)
          return {
            subscription,
            standard: standard.name,
            control: control.name,
            recommendationKey: assessment.recommendation!.key,
            recommendationName: assessment.recommendation!.displayName,
          };
      }
    }
  }
  throw new Error("no failing control with unhealthy findings in the demo data");
}

/** A ticket on one of the assessment's unhealthy findings (an existing one, or a new incident). */
async function ticketFor(api: APIRequestContext, baseURL: string, target: Target): Promise<string> {
  const base = `/api/findings?recommendationKey=${target.recommendationKey}&subscriptionId=${target.subscription.subscriptionId}&status=Unhealthy&pageSize=50`;
  const { items } = await json<{ items: Array<{ id: string; ticket: { number: string } | null }> }>(api, base);
  const ticketed = items.find((f) => f.ticket);
  if (ticketed) return ticketed.ticket!.number;
  const { items: connections } = await json<{ items: Array<{ id: string; itsmEnabled: boolean }> }>(api, "/api/connections?pageSize=50");
  const res = await api.post("/api/tickets", {
    headers: { origin: baseURL },
    data: { connectionId: connections.find((c) => c.itsmEnabled)!.id, type: "incident", findingIds: [items[0]!.id] },
  });
  expect(res.status()).toBe(201);
  return ((await res.json()) as { tickets: Array<{ number: string }> }).tickets[0]!.number;
}

async function openAsManager(page: Page): Promise<void> {
  await page.goto("/compliance");
  await expect(page.getByRole("heading", { level: 1, name: "Compliance" })).toBeVisible();
  await expect(page.getByText("Secure score").first()).toBeVisible();
  // The charts draw once the page has hydrated and measured them.
  await expect(page.getByRole("figure", { name: "Open unhealthy findings by severity" }).getByRole("application")).toBeVisible();
}

describeAs("manager", "compliance view", () => {
  test("GET /compliance – a manager filters to one subscription and one standard, drills into a failing control, sees the linked tickets, exports CSV and prints", async ({
    page,
    browser,
    baseURL,
  }) => {
    test.setTimeout(300_000);
    const analyst = await browser.newContext({ storageState: storageStatePath("analyst"), baseURL });
    const target = await findTarget(analyst.request);
    const number = await ticketFor(analyst.request, baseURL!, target);
    await analyst.close();

    await openAsManager(page);
    await page.screenshot({ path: "test-results/screens/compliance.png", fullPage: true });
    const filters = page.getByRole("form", { name: "Filters" });
    await filters.getByLabel("Subscription").selectOption({ label: target.subscription.displayName });
    await expect(page).toHaveURL(new RegExp(`subscriptionId=${target.subscription.subscriptionId}`));
    await filters.getByLabel("Standard").selectOption(target.standard);
    await expect(page).toHaveURL(/standard=/);

    const controls = page.getByRole("table", { name: `Controls of ${target.standard}` });
    await expect(controls).toBeVisible();
    await expect(page.getByRole("table", { name: "Regulatory standards" }).getByRole("row")).toHaveCount(2); // header + the chosen standard
    await controls.getByRole("button", { name: `Control ${target.control}: Failed` }).click();
    await expect(page).toHaveURL(new RegExp(`control=${seg(target.control).replace(/\./g, "\\.")}`));

    const assessments = page.getByRole("table", { name: `Assessments of control ${target.control}` });
    const row = assessments.getByRole("row").filter({ has: page.getByRole("link", { name: target.recommendationName, exact: true }) });
    await expect(row).toBeVisible();
    await expect(row.getByRole("link", { name: new RegExp(`^${number}`) })).toBeVisible();
    await expect(row.getByRole("link", { name: new RegExp(`^${number}`) })).toHaveAttribute("href", /^\/tickets\/[0-9a-f-]{36}$/);
    await row.scrollIntoViewIfNeeded();
    await page.screenshot({ path: "test-results/screens/compliance-drilldown.png", fullPage: true });

    // CSV of what is shown: the daily trend of this subscription.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export trend (CSV)" }).click()]);
    expect(download.suggestedFilename()).toMatch(
      new RegExp(`^compliance-trend-\\d{4}-\\d{2}-\\d{2}_\\d{4}-\\d{2}-\\d{2}-${target.subscription.subscriptionId}\\.csv$`),
    );
    const csv = readFileSync((await download.path())!, "utf8");
    expect(csv.startsWith("\uFEFFday,subscription_id,subscription,secure_score_percent")).toBe(true);
    const lines = csv.trim().split("\r\n").slice(1);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.split(",")[1] === target.subscription.subscriptionId)).toBe(true);

    // The printout: no navigation, no filter controls, the filters named in a line, charts at page width.
    await page.emulateMedia({ media: "print" });
    await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
    await expect(page.getByRole("form", { name: "Filters" })).toBeHidden();
    await expect(page.getByText(`Subscription ${target.subscription.displayName} · ${target.standard}`)).toBeVisible();
    await page.screenshot({ path: "test-results/screens/compliance-print.png", fullPage: true });
    await page.emulateMedia({ media: "screen" });
  });

  test("GET /compliance – the charts carry a summary and a data table, the numbers link to their views", async ({ page }) => {
    await openAsManager(page);
    const chart = page.getByRole("figure", { name: "Open unhealthy findings by severity" });
    await expect(chart).toBeVisible();
    await expect(chart.getByText(/^Unhealthy findings(:| went from| stayed at)/)).toBeVisible();
    const summary = (await (await page.request.get("/api/compliance/summary")).json()) as Summary;
    if (summary.trend.length > 0) {
      await chart.getByText("Data table: Open unhealthy findings by severity").click();
      await expect(chart.getByRole("table", { name: "Open unhealthy findings by severity" })).toBeVisible();
    }
    await page
      .getByRole("link", { name: /Overdue tickets/ })
      .first()
      .click();
    await expect(page).toHaveURL(/\/tickets\?state=open&overdue=true/);
  });

  test("GET /api/compliance/summary – a bad filter is a 422 a person can read, an unknown standard a 404", async ({ page }) => {
    const bad = await page.request.get("/api/compliance/summary?from=2026-02-10&to=2026-02-01");
    expect(bad.status()).toBe(422);
    expect(((await bad.json()) as { errors: Array<{ path: string; message: string }> }).errors[0]).toMatchObject({
      path: "query.from",
      message: "must not be after 'to'",
    });
    expect((await page.request.get("/api/compliance/standards/No%20such%20standard")).status()).toBe(404);
    await page.goto("/compliance?standard=No%20such%20standard");
    await expect(page.getByText("The controls could not be loaded")).toBeVisible();
  });
});
