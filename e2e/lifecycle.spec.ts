import { request as playwrightRequest, type Page } from "@playwright/test";
import { e2eManifest } from "./support/manifest";
import { waitForDemoTickets } from "./support/demo";
import { createTicketFromDialog } from "./support/ticket-dialog";
import { describeAs, expect, test } from "./support/test";

// The ticket lifecycle on a ServiceNow instance as documented (docs/EMULATORS.md, "Contract: ticket
// lifecycle"): an analyst creates a standard change from one of the instance's pre-approved templates
// in the ticket dialog (created through the Change Management API), and a problem whose finding is
// remediated shows as "ready to resolve" — with the link to resolve it in ServiceNow — instead of a
// state write ServiceNow would ignore.

const CONNECTION = "ServiceNow (emulator)";
type Finding = { id: string; armId: string; resourceName: string; recommendationKey: string };
type Page1<T> = { items: T[]; total: number };
type Ticket = { id: string; number: string; url: string; changeType: string | null; readyToResolveAt: string | null; state: string };

async function demoConnectionId(page: Page): Promise<string> {
  const { items } = (await (await page.request.get("/api/connections?pageSize=50")).json()) as {
    items: Array<{ id: string; name: string }>;
  };
  return items.find((c) => c.name === CONNECTION)!.id;
}

/** Unticketed unhealthy findings, after the demo's own tickets exist (so the bootstrap cannot take them). */
async function freeFindings(page: Page): Promise<Finding[]> {
  await waitForDemoTickets(page.request);
  const res = await page.request.get("/api/findings?status=Unhealthy&hasTicket=false&sort=resource&pageSize=200");
  expect(res.status()).toBe(200);
  return ((await res.json()) as Page1<Finding>).items;
}

const row = (page: Page, resourceName: string) => page.getByRole("row").filter({ has: page.getByText(resourceName, { exact: true }) });

describeAs("analyst", "ticket lifecycle", () => {
  test("POST /api/tickets – an analyst creates a standard change from a template picked in the dialog", async ({ page }) => {
    const findings = await freeFindings(page);
    // From the end, so the other tests of the run (which take the first ones) do not race for it, and one
    // whose resource name is unique on its recommendation's page (two subscriptions may share a name).
    let f: Finding | undefined;
    for (const c of [...findings].reverse()) {
      const res = await page.request.get(`/api/findings?status=Unhealthy&q=${encodeURIComponent(c.resourceName)}&pageSize=200`);
      const same = ((await res.json()) as Page1<Finding>).items.filter(
        (x) => x.recommendationKey === c.recommendationKey && x.resourceName === c.resourceName,
      );
      if (same.length === 1) {
        f = c;
        break;
      }
    }
    expect(f, "a finding whose resource name is unique on its recommendation page").toBeTruthy();
    if (!f) return;
    await page.goto(`/recommendations/${f.recommendationKey}?status=Unhealthy&sort=resource&pageSize=200`);
    await row(page, f.resourceName).getByRole("checkbox").check();
    await page.getByRole("button", { name: "Create ticket (1)" }).click();
    const dialog = page.getByRole("dialog", { name: "Create ServiceNow ticket" });
    await dialog.getByLabel("Ticket type").selectOption({ label: "Change request" });
    await expect(dialog.getByLabel("Short description")).not.toHaveValue("");
    await dialog.getByLabel("Change type").selectOption({ label: "Standard" });
    const template = dialog.getByLabel("Standard change template");
    await expect(template.getByRole("option", { name: /Apply Azure security baseline configuration/ })).toHaveCount(1);
    await template.selectOption({ label: "Apply Azure security baseline configuration (Security)" });
    await page.screenshot({ path: "test-results/screens/lifecycle-standard-change-dialog.png" });
    const number = await createTicketFromDialog(page, dialog, "CHG");
    await expect(dialog).toHaveCount(0);

    const { items } = (await (await page.request.get(`/api/tickets?q=${number}`)).json()) as Page1<Ticket>;
    expect(items[0]?.changeType).toBe("standard");
    // In ServiceNow: a standard change of that template, created by the Change Management API.
    const sysId = decodeURIComponent(new URL(items[0]!.url).searchParams.get("uri") ?? "").split("sys_id=")[1]!;
    const api = await playwrightRequest.newContext({ ignoreHTTPSErrors: true });
    const record = (await (await api.get(`${e2eManifest().servicenow.url}/_emulator/records/change_request/${sysId}`)).json()) as {
      result: Record<string, string>;
    };
    await api.dispose();
    expect(record.result).toMatchObject({ type: "standard", chg_model: "standard" });
    expect(record.result.implementation_plan).toMatch(/Apply the setting/);
  });

  test("a problem whose findings are remediated shows as ready to resolve, with the link to resolve it in ServiceNow", async ({
    page,
    baseURL,
  }) => {
    test.setTimeout(240_000);
    const connectionId = await demoConnectionId(page);
    const findings = await freeFindings(page);
    const f = findings.at(-2)!;
    const created = await page.request.post("/api/tickets", {
      headers: { origin: baseURL! },
      data: { connectionId, type: "problem", findingIds: [f.id] },
    });
    expect(created.status()).toBe(201);
    const ticket = ((await created.json()) as { tickets: Ticket[] }).tickets[0]!;

    // Remediated in Azure (the ARM emulator flips the assessment), then a sync.
    const api = await playwrightRequest.newContext({ ignoreHTTPSErrors: true });
    const flipped = await api.post(`${e2eManifest().arm.url}/_emulator/assessments/status`, {
      data: { ids: [f.armId], status: "Healthy" },
    });
    expect(flipped.status()).toBe(200);
    await api.dispose();
    await expect
      .poll(
        async () => {
          await page.request.post(`/api/connections/${connectionId}/sync`, { headers: { origin: baseURL! } });
          return ((await (await page.request.get(`/api/tickets/${ticket.id}`)).json()) as Ticket).readyToResolveAt;
        },
        { message: "the sync marked the problem ready to resolve", timeout: 180_000, intervals: [5_000] },
      )
      .not.toBeNull();

    await page.goto(`/tickets?q=${ticket.number}`);
    const listed = page.getByRole("table", { name: "Tickets" }).getByRole("row").filter({ hasText: ticket.number });
    await expect(listed.getByRole("link", { name: `Ready to resolve: open ${ticket.number} in ServiceNow` })).toHaveAttribute(
      "href",
      ticket.url,
    );
    await page.screenshot({ path: "test-results/screens/lifecycle-tickets-list.png" });
    await listed.getByRole("link", { name: ticket.number, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText(ticket.number);
    const notice = page.getByRole("note").filter({ hasText: "Ready to resolve since" });
    await expect(notice.getByRole("link", { name: `Resolve ${ticket.number} in ServiceNow` })).toHaveAttribute("href", ticket.url);
    await expect(page.getByText("New", { exact: true }).first()).toBeVisible();
    await page.screenshot({ path: "test-results/screens/lifecycle-ready-to-resolve.png" });
  });
});
