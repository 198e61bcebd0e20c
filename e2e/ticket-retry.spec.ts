import { type Page, request as playwrightRequest } from "@playwright/test";
import { e2eManifest } from "./support/manifest";
import { waitForDemoTickets } from "./support/demo";
import { describeAs, expect, test } from "./support/test";

// A ticket ServiceNow does not confirm is not lost: with the emulator answering 500 to every incident
// insert (more than the request's own tries), the dialog closes with "Ticket pending", the resource shows
// it, and once ServiceNow is back the ticket-request job creates the incident — exactly one in
// ServiceNow — and the page shows its number without a reload. Also: errors sit next to the submit
// button, announced; focus returns to the button that opened the dialog.

type Finding = { id: string; resourceName: string; recommendationKey: string };
type Page1<T> = { items: T[]; total: number };

async function unticketedFinding(page: Page): Promise<Finding> {
  await waitForDemoTickets(page.request);
  const res = await page.request.get("/api/findings?status=Unhealthy&hasTicket=false&sort=resource&pageSize=200");
  const { items } = (await res.json()) as Page1<Finding>;
  // One whose recommendation has a single unticketed resource on its first rows is enough; take the last (other specs take the first).
  expect(items.length).toBeGreaterThan(0);
  return items[items.length - 1]!;
}

// By its checkbox, labelled with the resource name: a subscription-level finding shows the subscription's
// display name instead of its name (a GUID), so the name is not always text in the row.
const row = (page: Page, resourceName: string) =>
  page.getByRole("row").filter({ has: page.getByRole("checkbox", { name: `Select ${resourceName}`, exact: true }) });

describeAs("analyst", "a ticket ServiceNow does not confirm", () => {
  test("POST /api/tickets – 202 while ServiceNow answers 500, retried when it is back: exactly one incident, shown without a reload", async ({
    page,
  }) => {
    test.setTimeout(180_000);
    const sn = e2eManifest().servicenow.url;
    const api = await playwrightRequest.newContext({ ignoreHTTPSErrors: true });
    const finding = await unticketedFinding(page);
    await page.goto(`/recommendations/${finding.recommendationKey}?status=Unhealthy&sort=resource&pageSize=200`);
    const resource = row(page, finding.resourceName);
    await expect(resource).toBeVisible();

    // An ACL refusal first: said next to the submit button, naming the permission, announced.
    const refused = await api.post(`${sn}/_emulator/faults`, {
      data: { method: "POST", path: "/api/now/table/incident", kind: "status", status: 403, times: 1 },
    });
    expect(refused.ok()).toBe(true);
    await resource.getByRole("checkbox").check();
    const opener = page.getByRole("button", { name: "Create ticket (1)" });
    await opener.click();
    const dialog = page.getByRole("dialog", { name: "Create ServiceNow ticket" });
    await dialog.getByLabel("Ticket type").selectOption({ label: "Incident" });
    await expect(dialog.getByLabel("Short description")).not.toHaveValue("");
    await dialog.getByRole("button", { name: "Create ticket" }).click();
    const footerError = dialog.locator("footer [aria-live=assertive]");
    await expect(footerError).toContainText(/missing the "create" permission on the incident table/);
    await expect(dialog.getByRole("button", { name: "Create ticket" })).toHaveAttribute("aria-describedby", "create-ticket-error");
    await page.screenshot({ path: "test-results/screens/ticket-dialog-acl-error.png" });
    // Escape closes the dialog; focus goes back to the button that opened it.
    await page.keyboard.press("Escape");
    await expect(dialog).toHaveCount(0);
    await expect(opener).toBeFocused();

    // Now ServiceNow fails every incident insert, before applying it.
    const outage = await api.post(`${sn}/_emulator/faults`, {
      data: { id: "e2e-outage", method: "POST", path: "/api/now/table/incident", kind: "status", status: 500 },
    });
    expect(outage.ok()).toBe(true);
    await opener.click();
    await dialog.getByLabel("Ticket type").selectOption({ label: "Incident" });
    await expect(dialog.getByLabel("Short description")).not.toHaveValue("");
    const answer = page.waitForResponse((r) => r.url().endsWith("/api/tickets") && r.request().method() === "POST");
    await dialog.getByRole("button", { name: "Create ticket" }).click();
    const response = await answer;
    expect(response.status()).toBe(202);
    const { pending } = (await response.json()) as { pending: Array<{ id: string; findingIds: string[] }> };
    expect(pending).toHaveLength(1);
    expect(pending[0]!.findingIds).toEqual([finding.id]);
    await expect(dialog).toHaveCount(0);
    await expect(page.getByRole("status").filter({ hasText: "Ticket pending" })).toBeVisible();
    await expect(resource.getByText("Ticket pending")).toBeVisible();
    await page.screenshot({ path: "test-results/screens/ticket-pending.png" });

    const requestState = await page.request.get(`/api/ticket-requests/${pending[0]!.id}`);
    expect(await requestState.json()).toMatchObject({ status: "pending", attempts: 1 });

    // ServiceNow comes back; the job's next attempt creates the ticket and the page shows it by itself.
    expect((await api.delete(`${sn}/_emulator/faults/e2e-outage`)).ok()).toBe(true);
    const created = page.getByRole("status").filter({ hasText: /Created INC\d{7}/ });
    await expect(created).toBeVisible({ timeout: 120_000 });
    const number = /INC\d{7}/.exec((await created.textContent()) ?? "")![0];
    await expect(resource.getByRole("link", { name: number })).toBeVisible();
    await expect(resource.getByText("Ticket pending")).toHaveCount(0);
    await page.screenshot({ path: "test-results/screens/ticket-pending-created.png" });

    // Exactly one incident in ServiceNow for this ticket's correlation id.
    const byNumber = (await (
      await api.get(`${sn}/_emulator/records/incident?sysparm_query=${encodeURIComponent(`number=${number}`)}`)
    ).json()) as { result: Array<{ correlation_id: string }> };
    const correlationId = byNumber.result[0]!.correlation_id;
    expect(correlationId).toMatch(/:inc:/);
    const same = (await (
      await api.get(`${sn}/_emulator/records/incident?sysparm_query=${encodeURIComponent(`correlation_id=${correlationId}`)}`)
    ).json()) as { total: number };
    expect(same.total).toBe(1);
    expect(await (await page.request.get(`/api/ticket-requests/${pending[0]!.id}`)).json()).toMatchObject({
      status: "created",
      ticket: { number },
    });
    await api.dispose();
  });
});
