import { type Page } from "@playwright/test";
import { waitForDemoTickets } from "./support/demo";
import { describeAs, expect, test } from "./support/test";

// Tickets from recommendations, end to end against the emulators: an analyst creates an incident for
// three resources and a change request for one on a recommendation's page, sees the numbers next to the
// resources and follows the ticket link; a manager gets neither the button nor the API; an admin tests
// the ServiceNow connection. The app is the e2e instance (seed 42, demo size) with its demo connection.

type Finding = { id: string; resourceName: string; recommendationKey: string };
type Page1<T> = { items: T[]; total: number };

/**
 * A recommendation with at least `count` unhealthy resources without a ticket, and the first `count` of
 * them by resource name (the order its page is opened in below). Waits for the demo's own tickets first,
 * so the bootstrap cannot ticket the same resources while the test works.
 */
async function openFindings(page: Page, count: number): Promise<{ key: string; findings: Finding[] }> {
  await waitForDemoTickets(page.request);
  const res = await page.request.get("/api/findings?status=Unhealthy&hasTicket=false&pageSize=500");
  expect(res.status()).toBe(200);
  const { items } = (await res.json()) as Page1<Finding>;
  const counts = new Map<string, number>();
  for (const f of items) counts.set(f.recommendationKey, (counts.get(f.recommendationKey) ?? 0) + 1);
  const key = [...counts.entries()].find(([, n]) => n >= count)?.[0];
  expect(key, `a recommendation with ${count} unticketed unhealthy resources`).toBeTruthy();
  const own = await page.request.get(
    `/api/findings?recommendationKey=${key}&status=Unhealthy&hasTicket=false&sort=resource&pageSize=${count}`,
  );
  return { key: key!, findings: ((await own.json()) as Page1<Finding>).items };
}

/** The recommendation's unhealthy resources by name, all on one page, as a person would filter them. */
const recommendationPage = (key: string) => `/recommendations/${key}?status=Unhealthy&sort=resource&pageSize=200`;

const row = (page: Page, resourceName: string) => page.getByRole("row").filter({ has: page.getByText(resourceName, { exact: true }) });

async function createTicket(page: Page, resources: string[], type: "Incident" | "Change request"): Promise<string> {
  for (const name of resources) await row(page, name).getByRole("checkbox").check();
  await page.getByRole("button", { name: `Create ticket (${resources.length})` }).click();
  const dialog = page.getByRole("dialog", { name: "Create ServiceNow ticket" });
  await dialog.getByLabel("Ticket type").selectOption({ label: type });
  if (resources.length > 1) await dialog.getByLabel("Grouping").selectOption({ label: "One ticket for all selected" });
  await expect(dialog.getByLabel("Short description")).not.toHaveValue("");
  await page.screenshot({ path: `test-results/screens/tickets-dialog-${type === "Incident" ? "incident" : "change"}.png` });
  await dialog.getByRole("button", { name: "Create ticket" }).click();
  // An earlier ticket's toast may still be showing: wait for this type's.
  const prefix = type === "Incident" ? "INC" : "CHG";
  const toast = page.getByRole("status").filter({ hasText: new RegExp(`Created ${prefix}\\d{7}`) });
  await expect(toast).toBeVisible({ timeout: 30_000 });
  const number = new RegExp(`${prefix}\\d{7}`).exec((await toast.textContent()) ?? "")![0];
  await expect(dialog).toHaveCount(0);
  return number;
}

test.describe("tickets from recommendations", () => {
  describeAs("analyst", "as an analyst", () => {
    test("POST /api/tickets – an analyst creates an incident for three resources and a change request for one, sees the numbers next to the resources and follows the ticket link", async ({
      page,
    }) => {
      const { key, findings } = await openFindings(page, 4);
      await page.goto(recommendationPage(key));
      const [a, b, c, d] = findings.map((f) => f.resourceName) as [string, string, string, string];

      const incident = await createTicket(page, [a, b, c], "Incident");
      expect(incident).toMatch(/^INC/);
      for (const name of [a, b, c]) await expect(row(page, name).getByRole("link", { name: incident })).toBeVisible();

      const change = await createTicket(page, [d], "Change request");
      expect(change).toMatch(/^CHG/);
      await expect(row(page, d).getByRole("link", { name: change })).toBeVisible();
      await expect(row(page, d).getByRole("link", { name: incident })).toHaveCount(0);
      await page.screenshot({ path: "test-results/screens/tickets-recommendation.png" });

      // The number links to the record in ServiceNow; "details" opens the ticket in PostureDesk.
      await expect(row(page, a).getByRole("link", { name: incident })).toHaveAttribute(
        "href",
        /\/nav_to\.do\?uri=incident\.do%3Fsys_id%3D[0-9a-f]{32}$/,
      );
      await row(page, a).getByRole("link", { name: "details", exact: true }).click();
      await expect(page).toHaveURL(/\/tickets\/[0-9a-f-]{36}$/);
      await expect(page.getByRole("heading", { level: 1 })).toContainText(incident);
      const findingsTable = page.getByRole("table", { name: "Linked findings" });
      for (const name of [a, b, c]) await expect(findingsTable.getByText(name, { exact: true })).toBeVisible();
      await expect(findingsTable.getByText("In Defender")).toHaveCount(3);
      const servicenow = page.getByRole("link", { name: "Open in ServiceNow" });
      await expect(servicenow).toHaveAttribute("href", /\/nav_to\.do\?uri=incident\.do%3Fsys_id%3D[0-9a-f]{32}$/);
      await page.screenshot({ path: "test-results/screens/tickets-detail.png" });

      await page.getByRole("link", { name: "Tickets" }).first().click();
      await expect(page.getByRole("table", { name: "Tickets" }).getByRole("link", { name: change })).toBeVisible();
    });
  });

  describeAs("manager", "as a manager", () => {
    test("POST /api/tickets – a manager cannot create tickets: the UI hides it and the API answers 403", async ({ page, baseURL }) => {
      const { key, findings } = await openFindings(page, 1);
      await page.goto(recommendationPage(key));
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expect(page.getByRole("button", { name: /Create ticket/ })).toHaveCount(0);
      await expect(page.getByRole("button", { name: /Link existing ticket/ })).toHaveCount(0);
      await expect(page.getByRole("checkbox", { name: `Select ${findings[0]!.resourceName}` })).toHaveCount(0);

      const res = await page.request.post("/api/tickets", {
        headers: { origin: baseURL! },
        data: { connectionId: "00000000-0000-4000-8000-000000000000", type: "incident", findingIds: [findings[0]!.id] },
      });
      expect(res.status()).toBe(403);
      expect((await res.json()) as { code: string }).toMatchObject({ code: "FORBIDDEN" });

      await page.goto("/tickets");
      await expect(page.getByRole("heading", { level: 1, name: "Tickets" })).toBeVisible();
      await page.getByRole("table", { name: "Tickets" }).getByRole("link").first().click();
      await expect(page.getByRole("link", { name: "Open in ServiceNow" })).toBeVisible();
      await expect(page.getByRole("button", { name: /^Unlink/ })).toHaveCount(0);
    });
  });

  describeAs("admin", "as an admin", () => {
    test("POST /api/connections/{id}/test – the demo ServiceNow connection passes every check", async ({ page }) => {
      await page.goto("/connections");
      await page.getByRole("button", { name: "Test connection ServiceNow (emulator)" }).click();
      const dialog = page.getByRole("dialog", { name: "Test connection: ServiceNow (emulator)" });
      await expect(dialog.getByText("Connection works.")).toBeVisible({ timeout: 20_000 });
      await expect(dialog.getByRole("list", { name: "Test steps" }).getByText("Failed")).toHaveCount(0);
      await page.screenshot({ path: "test-results/screens/tickets-connection-test.png" });
    });
  });
});
