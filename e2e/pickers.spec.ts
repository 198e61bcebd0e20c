import { request as playwrightRequest, type Locator, type Page } from "@playwright/test";
import { e2eManifest } from "./support/manifest";
import { waitForDemoTickets } from "./support/demo";
import { createTicketFromDialog } from "./support/ticket-dialog";
import { describeAs, expect, test } from "./support/test";

// Pickers and dialogs, with the keyboard: an analyst chooses the assignment group, the assignee and the
// caller of a new incident by typing part of a name or an e-mail (React Aria combobox over the
// connection's ServiceNow users and groups) and the ServiceNow record carries their sys_ids; an admin
// writes a rule's subscription condition by the subscription's name (a wrong name is refused at the
// field); every dialog hands focus back to the control that opened it.

type Page1<T> = { items: T[]; total: number };
type Finding = { id: string; resourceName: string; recommendationKey: string };
type SnRecord = Record<string, string>;

async function snRecords(table: string, query: string): Promise<SnRecord[]> {
  const api = await playwrightRequest.newContext({ ignoreHTTPSErrors: true });
  try {
    const res = await api.get(`${e2eManifest().servicenow.url}/_emulator/records/${table}?sysparm_query=${encodeURIComponent(query)}`);
    expect(res.ok()).toBe(true);
    return ((await res.json()) as { result: SnRecord[] }).result;
  } finally {
    await api.dispose();
  }
}
const sysIdOf = async (table: string, query: string) => (await snRecords(table, query))[0]!.sys_id!;

/** An unhealthy resource without a ticket, on its recommendation's page (after the demo's own tickets). */
async function openFinding(page: Page): Promise<Finding> {
  await waitForDemoTickets(page.request);
  // A resource with a name of its own (subscription-level findings are named by their GUID).
  const isNamed = (f: Finding) => !/^[0-9a-f-]{36}$/i.test(f.resourceName);
  const res = await page.request.get("/api/findings?status=Unhealthy&hasTicket=false&pageSize=500");
  const any = ((await res.json()) as Page1<Finding>).items.find(isNamed);
  expect(any, "an unticketed unhealthy finding").toBeTruthy();
  // Its recommendation's first unticketed named resource by name: on the first page of that recommendation.
  const own = await page.request.get(
    `/api/findings?recommendationKey=${any!.recommendationKey}&status=Unhealthy&hasTicket=false&sort=resource&pageSize=50`,
  );
  const finding = ((await own.json()) as Page1<Finding>).items.find(isNamed)!;
  await page.goto(`/recommendations/${finding.recommendationKey}?status=Unhealthy&sort=resource&pageSize=200`);
  return finding;
}

/** Types into a picker key by key, waits for the one matching option, and picks it with the keyboard. */
async function pick(scope: Locator, page: Page, label: string, typed: string, option: string): Promise<void> {
  const box = scope.getByRole("combobox", { name: label });
  await box.focus();
  await box.press("ControlOrMeta+a");
  await box.press("Backspace");
  await box.pressSequentially(typed, { delay: 30 });
  const listbox = page.getByRole("listbox");
  // The typed text names one record: once the list shows only it, the first option is the one.
  await expect(listbox.getByRole("option")).toHaveCount(1);
  await expect(listbox.getByRole("option", { name: new RegExp(`^${option}`) })).toBeVisible();
  await page.screenshot({ path: `test-results/screens/pickers-${label.toLowerCase().replace(/\W+/g, "-")}-list.png` });
  await box.press("ArrowDown");
  await expect(box).toHaveAttribute("aria-activedescendant", /.+/);
  await box.press("Enter");
  await expect(box).toHaveValue(option);
  await expect(listbox).toHaveCount(0);
}

test.describe("pickers and dialogs", () => {
  describeAs("analyst", "as an analyst", () => {
    test("POST /api/tickets – group, assignee and caller picked by typing part of a name or e-mail; the incident carries their sys_ids", async ({
      page,
    }) => {
      test.setTimeout(180_000);
      const finding = await openFinding(page);
      const row = page.getByRole("row").filter({ has: page.getByText(finding.resourceName, { exact: true }) });
      await row.getByRole("checkbox").check();
      const opener = page.getByRole("button", { name: "Create ticket (1)" });
      await opener.click();
      const dialog = page.getByRole("dialog", { name: "Create ServiceNow ticket" });
      await dialog.getByLabel("Ticket type").selectOption({ label: "Incident" });
      // The connection's default group is shown by its name.
      await expect(dialog.getByRole("combobox", { name: "Assignment group" })).toHaveValue("Cloud Security Operations", {
        timeout: 30_000,
      });

      // Nothing matches: the list says so; Escape closes the list and leaves the dialog open.
      const assignee = dialog.getByRole("combobox", { name: "Assigned to" });
      await assignee.pressSequentially("zz-nobody-zz", { delay: 20 });
      await expect(page.getByRole("listbox")).toContainText("No user matches “zz-nobody-zz”");
      await assignee.press("Escape");
      await expect(page.getByRole("listbox")).toHaveCount(0);
      await expect(dialog).toBeVisible();

      await pick(dialog, page, "Assignment group", "platform eng", "Platform Engineering");
      await pick(dialog, page, "Assigned to", "ari.ana", "Ari Analyst");
      await pick(dialog, page, "Caller", "mona", "Mona Manager");
      await page.screenshot({ path: "test-results/screens/pickers-ticket-dialog.png" });
      const number = await createTicketFromDialog(page, dialog, "INC");
      await expect(dialog).toHaveCount(0);

      const [incident] = await snRecords("incident", `number=${number}`);
      expect(incident).toBeTruthy();
      expect(incident!.assignment_group).toBe(await sysIdOf("sys_user_group", "name=Platform Engineering"));
      expect(incident!.assigned_to).toBe(await sysIdOf("sys_user", "user_name=ari.analyst"));
      expect(incident!.caller_id).toBe(await sysIdOf("sys_user", "user_name=mona.manager"));
    });

    test("focus returns to the control that opened a dialog, closed with Escape or with its close button", async ({ page }) => {
      const finding = await openFinding(page);
      const row = page.getByRole("row").filter({ has: page.getByText(finding.resourceName, { exact: true }) });
      await row.getByRole("checkbox").check();
      const opener = page.getByRole("button", { name: "Create ticket (1)" });
      const dialog = page.getByRole("dialog", { name: "Create ServiceNow ticket" });

      await opener.focus();
      await page.keyboard.press("Enter");
      await expect(dialog).toBeVisible();
      await expect(opener).not.toBeFocused();
      await page.keyboard.press("Escape");
      await expect(dialog).toHaveCount(0);
      await expect(opener).toBeFocused();

      await opener.click();
      await dialog.getByRole("button", { name: "Close dialog" }).click();
      await expect(dialog).toHaveCount(0);
      await expect(opener).toBeFocused();
    });
  });

  describeAs("admin", "as an admin", () => {
    test("POST /api/rules – a rule's subscription condition written by name; an unknown name is refused at the field; focus returns to New rule", async ({
      page,
    }) => {
      await expect
        .poll(async () => ((await (await page.request.get("/api/findings?status=Unhealthy&pageSize=1")).json()) as Page1<unknown>).total, {
          timeout: 120_000,
          message: "the first ingestion",
        })
        .toBeGreaterThan(0);
      const { items } = (await (await page.request.get("/api/findings?status=Unhealthy&pageSize=1")).json()) as Page1<{ id: string }>;
      const detail = (await (await page.request.get(`/api/findings/${items[0]!.id}`)).json()) as {
        subscriptionId: string;
        subscriptionName: string | null;
      };
      expect(detail.subscriptionName, "the subscription's display name").toBeTruthy();
      const connections = (await (await page.request.get("/api/connections?pageSize=50")).json()) as Page1<{
        id: string;
        name: string;
        itsmEnabled: boolean;
      }>;
      const connection = connections.items.find((c) => c.name === "ServiceNow (emulator)" && c.itsmEnabled)!;

      await page.goto(`/rules?connectionId=${connection.id}`);
      const opener = page.getByRole("button", { name: "New rule" });
      await opener.click();
      const form = page.getByRole("dialog", { name: "New automation rule" });
      const name = `E2E subscription ${Date.now().toString(36)}`;
      await form.getByLabel(/^Name\b/).fill(name);
      const subscriptions = form.getByLabel("Subscriptions", { exact: true });

      await subscriptions.fill("No Such Subscription");
      await subscriptions.press("Enter");
      await expect(form.getByRole("alert")).toHaveText("No ingested subscription is named “No Such Subscription”");
      await expect(subscriptions).toHaveAttribute("aria-invalid", "true");
      await expect(form.getByRole("list", { name: "Subscriptions: selected" })).toHaveCount(0);

      await subscriptions.fill(detail.subscriptionName!.toUpperCase());
      await subscriptions.press("Enter");
      await expect(form.getByRole("alert")).toHaveCount(0);
      await expect(form.getByRole("list", { name: "Subscriptions: selected" })).toContainText(detail.subscriptionName!);
      await page.screenshot({ path: "test-results/screens/pickers-rule-subscription.png" });
      await form.getByRole("button", { name: "Create rule" }).click();
      await expect(form).toHaveCount(0);
      await expect(opener).toBeFocused();

      const rules = (await (await page.request.get(`/api/rules?connectionId=${connection.id}&pageSize=100`)).json()) as Page1<{
        id: string;
        name: string;
        conditions: { subscriptionIds: string[] };
      }>;
      const rule = rules.items.find((r) => r.name === name)!;
      expect(rule.conditions.subscriptionIds).toEqual([detail.subscriptionId.toLowerCase()]);
      const origin = new URL(page.url()).origin;
      expect([200, 204]).toContain((await page.request.delete(`/api/rules/${rule.id}`, { headers: { origin } })).status());
    });
  });
});
