import { type Page, request } from "@playwright/test";
import { e2eManifest } from "./support/manifest";
import { waitForDemoTickets } from "./support/demo";
import { createTicketFromDialog } from "./support/ticket-dialog";
import { describeAs, expect, test } from "./support/test";

// Field defaults and mandatory fields on a customized ServiceNow instance (the e2e emulators run the
// "customized" profile: a data policy makes incident.category and incident.u_business_service mandatory).
// An admin sets the demo connection's defaults from the discovered schema; an analyst creates an incident
// whose dialog shows those mandatory fields prefilled, sees the 422 naming a field left empty, and creates
// it; the values land in the ServiceNow record.

type Finding = { id: string; resourceName: string; recommendationKey: string; resourceGroup: string | null };
type Page1<T> = { items: T[]; total: number };
type Connection = { id: string; name: string; fieldDefaults: Record<string, Record<string, string>> };

const CONNECTION = "ServiceNow (emulator)";

async function demoConnection(page: Page): Promise<Connection> {
  // The demo bootstrap discovers the instance and creates its tickets after the first ingestion.
  await waitForDemoTickets(page.request, { message: "the demo tickets" });
  const res = await page.request.get("/api/connections?pageSize=100");
  return ((await res.json()) as Page1<Connection>).items.find((c) => c.name === CONNECTION)!;
}

test.describe.configure({ mode: "serial" });

test.describe("field defaults and mandatory fields", () => {
  describeAs("admin", "as an admin", () => {
    test("PATCH /api/connections/{id} – an admin sets field defaults from the discovered schema", async ({ page }) => {
      const connection = await demoConnection(page);
      await page.goto("/connections");
      await page.getByRole("button", { name: `Edit connection ${CONNECTION}` }).click();
      const dialog = page.getByRole("dialog", { name: `Edit ${CONNECTION}` });
      const editor = dialog.getByRole("group", { name: "Field defaults" });
      // Mandatory fields of the instance come first, choice fields as selects of the instance's choices.
      const category = editor.getByLabel("Category (category)");
      const service = editor.getByLabel("Business service (u_business_service)");
      await expect(category).toBeVisible({ timeout: 20_000 });
      await expect(editor.getByText("required by a data policy").first()).toBeVisible();
      await expect(category.locator("option")).toContainText(["— none —", "Inquiry / Help", "Software", "Hardware", "Network", "Database"]);
      // Close codes come from the instance: the current list, no legacy "Solved (Permanently)".
      const closeCode = dialog.getByLabel("Close code");
      await expect(closeCode).toHaveValue("Solution provided");
      await expect(closeCode.locator("option", { hasText: "Solved (Permanently)" })).toHaveCount(0);

      await category.selectOption({ label: "Network" });
      await service.fill("{{resource.group}}");
      // Any other field of the instance can get a default too.
      await editor.getByLabel("Add a default for").selectOption({ label: "Resolution notes (close_notes)" });
      await editor.getByRole("button", { name: "Add" }).click();
      await editor.getByLabel("Resolution notes (close_notes)").fill("Remediated in Azure: {{recommendation.name}}");
      await page.screenshot({ path: "test-results/screens/field-defaults-editor.png" });
      await dialog.getByRole("button", { name: "Save" }).click();
      await expect(dialog).toHaveCount(0);

      const saved = (await (await page.request.get(`/api/connections/${connection.id}`)).json()) as Connection;
      expect(saved.fieldDefaults.incident).toEqual({
        category: "network",
        u_business_service: "{{resource.group}}",
        close_notes: "Remediated in Azure: {{recommendation.name}}",
      });

      // An unknown field is refused with a 422 naming it.
      const bad = await page.request.patch(`/api/connections/${connection.id}`, {
        headers: { origin: new URL(page.url()).origin },
        data: { fieldDefaults: { incident: { category: "network", u_nope: "x" } } },
      });
      expect(bad.status()).toBe(422);
      expect(((await bad.json()) as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toEqual([
        "body.fieldDefaults.incident.u_nope",
      ]);
    });
  });

  describeAs("analyst", "as an analyst", () => {
    test("POST /api/tickets – the incident dialog shows the instance's mandatory fields prefilled; an empty one is named; the values land in ServiceNow", async ({
      page,
    }) => {
      await demoConnection(page);
      const res = await page.request.get("/api/findings?status=Unhealthy&hasTicket=false&sort=resource&pageSize=50");
      const finding = ((await res.json()) as Page1<Finding>).items.find((f) => f.resourceGroup)!;
      await page.goto(`/recommendations/${finding.recommendationKey}?status=Unhealthy&sort=resource&pageSize=200`);
      await page
        .getByRole("row")
        .filter({ has: page.getByText(finding.resourceName, { exact: true }) })
        .getByRole("checkbox")
        .check();
      await page.getByRole("button", { name: "Create ticket (1)" }).click();
      const dialog = page.getByRole("dialog", { name: "Create ServiceNow ticket" });
      await dialog.getByLabel("Ticket type").selectOption({ label: "Incident" });

      const fields = dialog.getByRole("group", { name: "ServiceNow fields" });
      const category = fields.getByLabel("Category (category)");
      const service = fields.getByLabel("Business service (u_business_service)");
      await expect(category).toHaveValue("network");
      await expect(service).toHaveValue(finding.resourceGroup!);
      await page.screenshot({ path: "test-results/screens/field-defaults-ticket-dialog.png" });

      await service.fill("");
      await dialog.getByRole("button", { name: "Create ticket" }).click();
      await expect(dialog.getByRole("alert").filter({ hasText: "u_business_service (Business service)" })).toBeVisible();

      await service.fill("Payments");
      const number = await createTicketFromDialog(page, dialog, "INC");

      const sn = e2eManifest().servicenow;
      const emulator = await request.newContext({ ignoreHTTPSErrors: true });
      const stored = await emulator.get(`${sn.url}/_emulator/records/incident?sysparm_query=${encodeURIComponent(`number=${number}`)}`);
      const [record] = ((await stored.json()) as { result: Array<Record<string, string>> }).result;
      expect(record).toMatchObject({ category: "network", u_business_service: "Payments" });
      await emulator.dispose();
    });
  });
});
