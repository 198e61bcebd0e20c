import { type APIRequestContext, type Page } from "@playwright/test";
import { waitForDemoTickets } from "./support/demo";
import { storageStatePath } from "./support/personas";
import { describeAs, expect, test } from "./support/test";

// The analyst's and the manager's day (issue 17, items 8–11), end to end against the e2e instance (seed
// 42, demo size, its demo connection): an analyst adds a work note to a ticket and sees it at once; opens
// a resource's page from a finding, with the resource's own Azure portal blade; a manager opens the secure
// score controls and drills a regulatory standard to its controls and recommendations; a saved view is
// saved, reopened from the list, and opened by another person through its shared link.

type Finding = { id: string; resourceId: string; resourceName: string; recommendationKey: string };
type Page1<T> = { items: T[]; total: number };
const SIZES = [
  { width: 1440, height: 900 },
  { width: 1366, height: 768 },
] as const;

/**
 * Review screenshots at each laptop size. Headless Chromium sometimes never delivers the frame a
 * screenshot waits for after a viewport change (microsoft/playwright#34515; once in CI here, a 180 s
 * hang with the page fully drawn): each try is bounded, and a second try sets the size again first.
 */
async function shoot(page: Page, name: string, fullPage = true): Promise<void> {
  for (const size of SIZES) {
    const options = { path: `test-results/screens/${name}-${size.width}.png`, fullPage, timeout: 20_000 };
    await page.setViewportSize(size);
    await page.screenshot(options).catch(async () => {
      await page.setViewportSize({ ...size, height: size.height + 1 });
      await page.setViewportSize(size);
      await page.screenshot(options);
    });
  }
  await page.setViewportSize(SIZES[0]);
}

/** An unhealthy finding without a ticket, after the demo bootstrap ticketed its own (so it does not race us). */
async function unticketedFinding(api: APIRequestContext): Promise<Finding> {
  await waitForDemoTickets(api);
  const res = await api.get("/api/findings?status=Unhealthy&hasTicket=false&sort=resource&pageSize=50");
  expect(res.status()).toBe(200);
  const { items } = (await res.json()) as Page1<Finding>;
  // A resource whose name is unique among these, so the row and the heading are unambiguous.
  const f = items.find((x) => items.filter((y) => y.resourceName === x.resourceName).length === 1);
  expect(f, "an unticketed unhealthy finding").toBeTruthy();
  return f!;
}

async function createIncident(page: Page, finding: Finding): Promise<{ id: string; number: string }> {
  const res = await page.request.post("/api/tickets", {
    data: { connectionId: await demoConnectionId(page.request), type: "incident", findingIds: [finding.id] },
    headers: { origin: new URL(page.url() === "about:blank" ? "http://localhost" : page.url()).origin },
  });
  expect(res.status(), await res.text()).toBe(201);
  const { tickets } = (await res.json()) as { tickets: Array<{ id: string; number: string }> };
  return tickets[0]!;
}

/** Opens `path` (whose origin the API call names), then creates an incident for an unticketed finding. */
async function incidentFrom(page: Page, path: string): Promise<{ finding: Finding; ticket: { id: string; number: string } }> {
  await page.goto(path);
  const finding = await unticketedFinding(page.request);
  return { finding, ticket: await createIncident(page, finding) };
}

async function demoConnectionId(api: APIRequestContext): Promise<string> {
  const res = await api.get("/api/connections");
  const body = (await res.json()) as { items?: Array<{ id: string }> } | Array<{ id: string }>;
  const items = Array.isArray(body) ? body : (body.items ?? []);
  expect(items.length, "the demo ServiceNow connection").toBeGreaterThan(0);
  return items[0]!.id;
}

// The machine running the suite may be shared and slow: each test does several round trips to ServiceNow.
test.describe.configure({ timeout: 180_000 });

describeAs("analyst", "the analyst's day", () => {
  test("POST /api/tickets/{id}/journal – an analyst adds a work note on the ticket page and sees it at once, with the SLA and description", async ({
    page,
  }) => {
    const { finding, ticket } = await incidentFrom(page, "/tickets");
    await page.goto(`/tickets/${ticket.id}`);
    const conversation = page.getByRole("region", { name: "Conversation" });
    await expect(conversation.getByTestId("ticket-sla")).toBeVisible();
    await expect(conversation.getByRole("heading", { name: "Description" })).toBeVisible();

    const note = `Checked the configuration of ${finding.resourceName} at ${Date.now()}`;
    await conversation.getByLabel("Work note", { exact: true }).fill(note);
    await conversation.getByRole("button", { name: "Add work note" }).click();
    const journal = conversation.getByRole("list", { name: "Journal, newest first" });
    await expect(journal.getByRole("listitem").first()).toContainText(note);
    await expect(journal.getByRole("listitem").first()).toContainText("Ari Analyst");
    await expect(journal.getByRole("listitem").first()).toContainText("via PostureDesk");
    await expect(conversation.getByRole("status")).toHaveText("Added to ServiceNow.");

    // Empty text is refused next to the field, nothing is sent.
    await conversation.getByRole("button", { name: "Add work note" }).click();
    await expect(conversation.getByText("The text must not be empty.")).toBeVisible();

    // Read back from ServiceNow after a reload: still there, newest first; the history records it.
    await page.reload();
    await expect(page.getByRole("list", { name: "Journal, newest first" }).getByRole("listitem").first()).toContainText(note);
    await expect(page.getByRole("region", { name: "History" })).toContainText("Work note or comment added");
    await shoot(page, "ticket-conversation");
  });

  test("GET /api/resources/{id} – an analyst opens a resource's page from a finding: all its findings, the ticket, and the resource's own Azure portal blade", async ({
    page,
  }) => {
    const { finding, ticket } = await incidentFrom(page, "/findings");
    await page.goto(`/findings?q=${encodeURIComponent(finding.resourceName)}&recommendationKey=${finding.recommendationKey}`);
    await page.getByRole("link", { name: finding.resourceName, exact: true }).first().click();
    await expect(page).toHaveURL(/\/resources\/subscriptions\//);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(finding.resourceName);
    const portal = page.getByRole("link", { name: /Open in Azure portal/ });
    await expect(portal).toHaveAttribute(
      "href",
      new RegExp(
        `^https://portal\\.azure\\.com/#@[0-9a-f-]{36}/resource${finding.resourceId.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`,
        "i",
      ),
    );
    const table = page.getByRole("table", { name: `Findings on ${finding.resourceName}` });
    await expect(table.getByRole("link", { name: ticket.number })).toBeVisible();
    // The analyst can ticket from here too (selection + actions), and the recommendation links back.
    await expect(page.getByRole("button", { name: /Create ticket/ })).toBeVisible();
    await shoot(page, "resource");

    // From the ticket page, the resource name links to the same page.
    await page.goto(`/tickets/${ticket.id}`);
    await page.getByRole("table", { name: "Linked findings" }).getByRole("link", { name: finding.resourceName }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(finding.resourceName);
  });
});

describeAs("manager", "the manager's day", () => {
  test("GET /api/compliance/score-controls – a manager opens secure score by control and drills a standard to its controls and recommendations", async ({
    page,
  }) => {
    await expect
      .poll(
        async () => ((await (await page.request.get("/api/compliance/score-controls")).json()) as { controls: unknown[] }).controls.length,
        { timeout: 180_000, message: "secure score controls after the first ingestion" },
      )
      .toBeGreaterThan(0);
    await page.goto("/compliance");
    const controls = page.getByRole("region", { name: "Secure score by control" });
    const table = controls.getByRole("table", { name: "Secure score by control" });
    const first = table.getByRole("button").first();
    const controlName = (await first.textContent())!.trim();
    await first.click();
    await expect(first).toHaveAttribute("aria-expanded", "true");
    const recs = controls.getByRole("list", { name: `Recommendations of ${controlName}` });
    await expect(recs.getByRole("link").first()).toBeVisible();
    await expect(page).toHaveURL(/scoreControl=/);
    await shoot(page, "compliance-score-controls");

    // Regulatory standards: a standard, then one of its controls, then the control's recommendations.
    const standards = page.getByRole("region", { name: "Regulatory standards" });
    await expect
      .poll(async () => await standards.getByRole("table", { name: "Regulatory standards" }).getByRole("button").count(), {
        timeout: 120_000,
      })
      .toBeGreaterThan(0);
    await standards.getByRole("table", { name: "Regulatory standards" }).getByRole("button").first().click();
    const controlTable = standards.getByRole("table", { name: /^Controls of / });
    const failing = controlTable.getByRole("button", { name: /: Failed$/ }).first();
    await expect(failing).toBeVisible();
    await failing.click();
    const assessments = standards.getByRole("table", { name: /^Assessments of control / });
    await expect(assessments).toBeVisible();
    await expect(assessments.getByRole("row").nth(1)).toBeVisible();
    await expect(assessments.getByRole("link").first()).toHaveAttribute("href", /\/recommendations\//);
    await shoot(page, "compliance-standard-drilldown");
  });

  test("POST /api/saved-views – a manager saves a shared view, reopens it from the list, and an analyst opens its shared link", async ({
    page,
    browser,
  }) => {
    const name = `High without ticket ${Date.now()}`;
    await page.goto("/findings?severity=High&hasTicket=false&sort=-changed");
    await page.getByRole("button", { name: "Save view" }).click();
    const dialog = page.getByRole("dialog", { name: "Save this view" });
    await expect(dialog).toContainText("Keeps the 3 filters");
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByLabel("Share with everyone who can open this page").check();
    await dialog.getByRole("button", { name: "Save view" }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page).toHaveURL(/view=[0-9a-f-]{36}/, { timeout: 30_000 });
    await expect(page.getByText(`View: ${name}`)).toBeVisible({ timeout: 30_000 });
    const viewId = new URL(page.url()).searchParams.get("view")!;

    // Reopen: from a page without filters, the list applies it.
    await page.goto("/findings");
    await page.getByRole("button", { name: "Saved views" }).click();
    const list = page.getByRole("dialog", { name: "Saved views" });
    await expect(list.getByRole("link", { name })).toBeVisible();
    await shoot(page, "saved-views", false);
    await list.getByRole("link", { name }).click();
    await expect(page).toHaveURL(/severity=High/);
    await expect(page).toHaveURL(/hasTicket=false/);
    await expect(page.getByText(`View: ${name}`)).toBeVisible({ timeout: 30_000 });

    // The shared link carries only the id: another person opens it and gets the filters.
    const analyst = await browser.newContext({ storageState: storageStatePath("analyst") });
    const other = await analyst.newPage();
    await other.goto(`/findings?view=${viewId}`);
    await expect(other).toHaveURL(/severity=High/, { timeout: 30_000 });
    await expect(other.getByText(`View: ${name}`)).toBeVisible({ timeout: 30_000 });
    await analyst.close();

    // Deleting it from the list.
    await page.getByRole("button", { name: "Saved views" }).click();
    await page
      .getByRole("dialog", { name: "Saved views" })
      .getByRole("button", { name: `Delete ${name}` })
      .click();
    await expect(page.getByRole("dialog", { name: "Saved views" }).getByRole("link", { name })).toHaveCount(0);
  });
});
