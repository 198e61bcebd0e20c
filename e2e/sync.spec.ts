import { request as playwrightRequest, type Page } from "@playwright/test";
import { e2eManifest } from "./support/manifest";
import { describeAs, expect, test } from "./support/test";

// The sync engine end to end against the emulators: an analyst runs the demo connection from the
// connections page and watches it there (progress, then the last run), opens the run; then a ticket is
// closed in ServiceNow (as a service-desk user would, through the emulator's control API) and the
// emulator's business rule calls the app's webhook — the dashboard shows the close within seconds,
// without any scheduled run. (The rule → dry run → run → created tickets flow is e2e/rules.spec.ts.)

const CONNECTION = "ServiceNow (emulator)";

async function demoConnectionId(page: Page): Promise<string> {
  const { items } = (await (await page.request.get("/api/connections?pageSize=50")).json()) as {
    items: Array<{ id: string; name: string }>;
  };
  const connection = items.find((c) => c.name === CONNECTION);
  expect(connection, "the demo ServiceNow connection").toBeTruthy();
  return connection!.id;
}

type Ticket = { id: string; number: string; table: string; state: string; url: string; stateLabel: string };

/** An open incident of the demo connection (the demo bootstrap creates a few after the first ingestion). */
async function openIncident(page: Page, connectionId: string): Promise<Ticket & { sysId: string }> {
  let found: Ticket | undefined;
  await expect
    .poll(
      async () => {
        const { items } = (await (
          await page.request.get(`/api/tickets?connectionId=${connectionId}&state=open&type=incident&pageSize=50`)
        ).json()) as { items: Ticket[] };
        found = items[0];
        return items.length;
      },
      { message: "the demo bootstrap created an open incident", timeout: 180_000 },
    )
    .toBeGreaterThan(0);
  const sysId = decodeURIComponent(new URL(found!.url).searchParams.get("uri") ?? "").split("sys_id=")[1]!;
  expect(sysId).toMatch(/^[0-9a-f]{32}$/);
  return { ...found!, sysId };
}

describeAs("analyst", "sync engine", () => {
  test("POST /api/connections/{id}/sync – an analyst runs the connection from the connections page, watches it finish and opens the run", async ({
    page,
  }) => {
    test.setTimeout(240_000);
    await demoConnectionId(page);
    await page.goto("/connections");
    const sync = page.getByLabel(`Sync of ${CONNECTION}`);
    await expect(sync).toContainText("Webhook:");
    await expect(sync.getByText(/^configured|^last call/)).toBeVisible();
    await sync.getByRole("button", { name: `Run sync now for ${CONNECTION}` }).click();
    await expect(page.getByText(/Sync queued|A sync is already queued/)).toBeVisible();
    // While it runs the cell polls every second: a progress bar with the phase, then the finished run.
    await expect(sync.getByRole("progressbar", { name: `Sync progress of ${CONNECTION}` })).toBeVisible({ timeout: 30_000 });
    await page.screenshot({ path: "test-results/screens/sync-connection-running.png" });
    await expect(sync.getByRole("progressbar")).toHaveCount(0, { timeout: 180_000 });
    await expect(sync.getByText(/^Last run:/)).toContainText(/Succeeded|Partial/);
    await page.screenshot({ path: "test-results/screens/sync-connection-done.png" });
    await sync
      .getByRole("link")
      .filter({ hasText: /Succeeded|Partial/ })
      .click();
    await expect(page).toHaveURL(/\/sync\/[0-9a-f-]{36}$/);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  });

  test("POST /api/webhooks/servicenow/{id} – a ticket closed in ServiceNow shows as closed in the dashboard within seconds, through the webhook", async ({
    page,
  }) => {
    test.setTimeout(240_000);
    const connectionId = await demoConnectionId(page);
    const ticket = await openIncident(page, connectionId);
    await page.goto(`/tickets/${ticket.id}`);
    await expect(page.getByText(ticket.number).first()).toBeVisible();

    // A service-desk user closes it in ServiceNow: the instance's business rule posts to our webhook.
    const sn = e2eManifest().servicenow.url;
    const api = await playwrightRequest.newContext({ ignoreHTTPSErrors: true });
    const closedAt = Date.now();
    const res = await api.patch(`${sn}/_emulator/records/incident/${ticket.sysId}`, {
      data: { fields: { state: "7", close_code: "Solution provided", close_notes: "Closed from the service desk (e2e)" } },
    });
    expect(res.status()).toBe(200);
    await api.dispose();

    await expect
      .poll(async () => ((await (await page.request.get(`/api/tickets/${ticket.id}`)).json()) as { state: string }).state, {
        message: "the close reached PostureDesk",
        timeout: 15_000,
        intervals: [250],
      })
      .toBe("closed");
    const lagMs = Date.now() - closedAt;
    test.info().annotations.push({ type: "webhook lag", description: `${lagMs} ms` });
    expect(lagMs).toBeLessThan(10_000);
    await page.reload();
    await expect(page.getByText("Closed", { exact: true }).first()).toBeVisible();
    await page.screenshot({ path: "test-results/screens/sync-webhook-closed.png" });

    // The webhook's run is in the history, triggered by the webhook.
    const runs = (await (await page.request.get(`/api/sync-runs?connectionId=${connectionId}&pageSize=20`)).json()) as {
      items: Array<{ trigger: string; status: string }>;
    };
    expect(runs.items.some((r) => r.trigger === "webhook" && r.status === "succeeded")).toBe(true);
  });
});
