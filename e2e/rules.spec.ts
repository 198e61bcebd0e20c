import { request as playwrightRequest, type Page } from "@playwright/test";
import { e2eManifest } from "./support/manifest";
import { waitForDemoTickets } from "./support/demo";
import { storageStatePath } from "./support/personas";
import { describeAs, expect, test } from "./support/test";

// Governance automation end to end against the emulators: an admin creates a rule for one
// recommendation, previews it, dry-runs it (exactly the tickets it would create), enables it, runs the
// connection, watches the run's progress live on its page, and finds the tickets the rule created among
// the run's changes — as many as the dry run showed — then exports them and deletes the rule.
// The app is the e2e instance (seed 42, demo size) with its demo ServiceNow connection.

type Finding = { id: string; recommendationKey: string; recommendationName: string; subscriptionId: string; resourceGroup: string | null };

async function demoConnection(page: Page): Promise<{ id: string; name: string }> {
  const res = await page.request.get("/api/connections?pageSize=50");
  expect(res.status()).toBe(200);
  const { items } = (await res.json()) as { items: Array<{ id: string; name: string; itsmEnabled: boolean }> };
  const connection = items.find((c) => c.name === "ServiceNow (emulator)" && c.itsmEnabled);
  expect(connection, "the demo ServiceNow connection").toBeTruthy();
  return connection!;
}

/**
 * A recommendation whose unticketed unhealthy findings span 2–6 resource groups (a few tickets, not
 * hundreds), preferably with a group of several findings (so the grouping shows).
 */
async function targetRecommendation(page: Page): Promise<{ key: string; name: string; findings: number; groups: number }> {
  await expect
    .poll(async () => ((await (await page.request.get("/api/findings?status=Unhealthy&pageSize=1")).json()) as { total: number }).total, {
      message: "the first Defender ingestion stored findings",
      timeout: 120_000,
    })
    .toBeGreaterThan(0);
  // The demo bootstrap tickets a few findings right after that ingestion: let it finish first.
  await waitForDemoTickets(page.request, { message: "the demo bootstrap created its tickets" });
  const res = await page.request.get("/api/findings?status=Unhealthy&hasTicket=false&pageSize=500");
  const { items } = (await res.json()) as { items: Finding[] };
  const byKey = new Map<string, Finding[]>();
  for (const f of items) byKey.set(f.recommendationKey, [...(byKey.get(f.recommendationKey) ?? []), f]);
  let fallback: { key: string; name: string; findings: number; groups: number } | null = null;
  for (const [key, list] of byKey) {
    const all = (await (
      await page.request.get(`/api/findings?recommendationKey=${encodeURIComponent(key)}&status=Unhealthy&hasTicket=false&pageSize=500`)
    ).json()) as { items: Finding[]; total: number };
    // The rule groups per subscription and resource group.
    const groups = new Set(all.items.map((f) => `${f.subscriptionId}/${f.resourceGroup ?? ""}`.toLowerCase())).size;
    if (groups < 2 || groups > 6 || all.total > 500) continue;
    const candidate = { key, name: list[0]!.recommendationName, findings: all.total, groups };
    if (all.total > groups) return candidate;
    fallback ??= candidate;
  }
  expect(fallback, "a recommendation with unticketed findings in 2–6 resource groups").toBeTruthy();
  return fallback!;
}

/** Slows the ServiceNow emulator's Table API so the run lasts long enough to watch; returns the undo. */
async function slowServiceNow(latencyMs: number): Promise<() => Promise<void>> {
  const sn = e2eManifest().servicenow.url;
  const api = await playwrightRequest.newContext({ ignoreHTTPSErrors: true });
  const res = await api.post(`${sn}/_emulator/faults`, { data: { path: "/api/now/table/**", kind: "latency", latencyMs, times: 40 } });
  expect(res.ok()).toBe(true);
  const { value } = (await res.json()) as { value: Array<{ id: string }> };
  const id = value[0]!.id;
  return async () => {
    await api.delete(`${sn}/_emulator/faults/${id}`);
    await api.dispose();
  };
}

describeAs("admin", "governance automation rules and the sync history", () => {
  test("POST /api/rules/{id}/dry-run – an admin creates a rule, dry-runs it, enables it, runs the connection, watches the run and sees exactly the dry run's tickets", async ({
    page,
  }) => {
    test.setTimeout(300_000);
    const connection = await demoConnection(page);
    const target = await targetRecommendation(page);
    const name = `E2E ${target.name.slice(0, 60)} ${Date.now().toString(36)}`;

    // Create the rule in the form, previewing it before saving.
    await page.goto(`/rules?connectionId=${connection.id}`);
    await expect(page.getByRole("heading", { level: 1, name: "Rules" })).toBeVisible();
    await page.getByRole("button", { name: "New rule" }).click();
    const form = page.getByRole("dialog", { name: "New automation rule" });
    // Required fields carry a " *" in their label.
    await form.getByLabel(/^Name\b/).fill(name);
    await form.getByLabel("Recommendations", { exact: true }).fill(target.name);
    await form.getByLabel("Recommendations", { exact: true }).press("Enter");
    await expect(form.getByRole("list", { name: "Recommendations: selected" })).toContainText(target.name);
    await form.getByLabel("Grouping", { exact: true }).selectOption({ label: "One ticket per resource group" });
    await form.getByLabel("Remediation timeframe (days)").fill("21");
    await form.getByRole("button", { name: "Preview (dry run)" }).click();
    const preview = form.getByRole("region", { name: "Dry run preview" });
    await expect(preview).toContainText(
      `Would create ${target.groups} ticket${target.groups === 1 ? "" : "s"} covering ${target.findings} finding${target.findings === 1 ? "" : "s"}`,
    );
    // The results are brought into view and focused (they render below a long form).
    await expect(preview).toBeFocused();
    await expect(preview).toBeInViewport();
    await page.screenshot({ path: "test-results/screens/rules-form-preview.png" });
    await form.getByRole("button", { name: "Create rule" }).click();
    await expect(form).toHaveCount(0);
    const row = page.getByRole("row").filter({ hasText: name });
    await expect(row.getByRole("switch", { name: `Enable "${name}"` })).toHaveAttribute("aria-checked", "false");
    await expect(row).toContainText("Incident · one per resource group");

    // Dry run: exactly which tickets, and how many findings each covers.
    await row.getByRole("button", { name: `Dry run "${name}"` }).click();
    const dryRun = page.getByRole("dialog", { name: `Dry run: ${name}` });
    await expect(dryRun).toContainText(
      `Would create ${target.groups} ticket${target.groups === 1 ? "" : "s"} covering ${target.findings} finding`,
    );
    const planned = dryRun.getByRole("table", { name: "Tickets the rule would create" }).getByRole("row");
    await expect(planned).toHaveCount(target.groups + 1);
    await page.screenshot({ path: "test-results/screens/rules-dry-run.png" });
    await dryRun.getByRole("button", { name: "Enable rule" }).click();
    await expect(dryRun).toHaveCount(0);
    await expect(row.getByRole("switch", { name: `Enable "${name}"` })).toHaveAttribute("aria-checked", "true");
    await page.screenshot({ path: "test-results/screens/rules-list.png" });

    // Run the connection, slowed down enough to watch its progress on the run's page.
    const restore = await slowServiceNow(400);
    let runId: string;
    try {
      const origin = new URL(page.url()).origin;
      const res = await page.request.post(`/api/connections/${connection.id}/sync`, { headers: { origin } });
      expect(res.status()).toBe(202);
      runId = ((await res.json()) as { runId: string }).runId;
      await page.goto("/sync");
      await expect(page.locator(`a[href="/sync/${runId}"]`)).toBeVisible();
      await page.locator(`a[href="/sync/${runId}"]`).click();
      await expect(page).toHaveURL(new RegExp(`/sync/${runId}$`));
      // Live: the page polls the run; the bar shows while it is queued or running, then the outcome.
      await expect(page.getByRole("progressbar", { name: "Run progress" })).toBeVisible();
      await page.screenshot({ path: "test-results/screens/sync-run-progress.png" });
      await expect(page.getByRole("progressbar", { name: "Run progress" })).toHaveCount(0, { timeout: 180_000 });
    } finally {
      await restore();
    }
    const summary = page.getByRole("region", { name: /ServiceNow sync/ });
    await expect(summary.getByText(/^(Succeeded|Partial)$/)).toBeVisible();

    // The run's changes list the tickets the rule created: as many as the dry run showed.
    await page.getByLabel("Action", { exact: true }).selectOption({ label: "Created" });
    await page.getByLabel("Search", { exact: true }).fill(name);
    await page.getByLabel("Search", { exact: true }).press("Enter");
    const changes = page.getByRole("table", { name: "Changes made by this run" });
    const created = changes.getByRole("row").filter({ hasText: `created by rule "${name}"` });
    await expect(created).toHaveCount(target.groups);
    await page.screenshot({ path: "test-results/screens/sync-run-created.png" });

    // Export what is filtered as CSV.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^sync-run-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}-events\.csv$/);
    const csv = await (await download.createReadStream()).toArray();
    const lines = Buffer.concat(csv)
      .toString("utf8")
      .replace(/^\uFEFF/, "")
      .split("\r\n")
      .filter(Boolean);
    expect(lines[0]).toMatch(/^event_id,at,action,/);
    expect(lines.slice(1).filter((l) => l.includes(",created,"))).toHaveLength(target.groups);

    // Follow one ticket.
    const ticketLink = created.first().getByRole("link", { name: /^INC\d{7}$/ });
    const number = (await ticketLink.textContent())!;
    await ticketLink.click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText(number);

    // Clean up: delete the rule (its tickets stay).
    await page.goto(`/rules?connectionId=${connection.id}`);
    page.once("dialog", (d) => void d.accept());
    await page
      .getByRole("row")
      .filter({ hasText: name })
      .getByRole("button", { name: `Delete "${name}"` })
      .click();
    await expect(page.getByRole("row").filter({ hasText: name })).toHaveCount(0);
  });

  test("a manager can read the sync history but not retry runs or see rules", async ({ browser }) => {
    const context = await browser.newContext({ storageState: storageStatePath("manager") });
    const page = await context.newPage();
    await page.goto("/sync");
    await expect(page.getByRole("heading", { level: 1, name: "Sync history" })).toBeVisible();
    await expect(page.getByRole("table", { name: "Sync runs" })).toBeVisible();
    const first = page.locator('a[href^="/sync/"]').first();
    if (await first.count()) {
      await first.click();
      await expect(page.getByRole("button", { name: "Retry failed items" })).toHaveCount(0);
    }
    expect((await page.request.get("/api/rules")).status()).toBe(200);
    expect((await page.request.post("/api/rules/dry-run", { data: {}, headers: { origin: new URL(page.url()).origin } })).status()).toBe(
      403,
    );
    await page.goto("/rules");
    await expect(page.getByText("You do not have access to this page")).toBeVisible();
    await context.close();
  });
});
