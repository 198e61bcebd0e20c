import { type Page } from "@playwright/test";
import { waitForDemoTickets } from "./support/demo";
import { describeAs, expect, test } from "./support/test";

// Lists and addresses (issue 17, item 6): search applies as the person types (debounced, one request for a
// typing run) and survives other filter changes; Back restores the previous filters; a page past the end
// shows the last page; an unknown id is a styled 404 page (HTTP 404) with a way back; a value the list
// cannot use in the address gives the same message on every list page.

type Page1<T> = { items: T[]; total: number };

async function demoTickets(page: Page): Promise<Page1<{ id: string; number: string }>> {
  await waitForDemoTickets(page.request);
  return (await (await page.request.get("/api/tickets?pageSize=200&sort=number")).json()) as Page1<{ id: string; number: string }>;
}

const pagination = (page: Page) => page.getByRole("navigation", { name: "Pagination" });

describeAs("analyst", "lists and addresses", () => {
  test("GET /tickets – search applies while typing, survives a filter change, and Back restores the previous filters", async ({ page }) => {
    const tickets = await demoTickets(page);
    const target = tickets.items[tickets.items.length - 1]!;
    await page.goto("/tickets");
    const table = page.getByRole("table", { name: "Tickets" });
    await expect(table.getByRole("row").nth(1)).toBeVisible();
    await page.waitForLoadState("networkidle");

    // Typed at a person's pace, never leaving the box nor pressing Enter: the search applies once for the
    // run (the page's server render or the API; never a request per letter).
    const searches: string[] = [];
    page.on("request", (r) => {
      const url = new URL(r.url());
      if ((url.pathname === "/api/tickets" || url.pathname === "/tickets") && url.searchParams.has("q"))
        searches.push(url.searchParams.get("q")!);
    });
    const search = page.getByRole("searchbox", { name: "Search" });
    await search.pressSequentially(target.number, { delay: 40 });
    await expect(page).toHaveURL(new RegExp(`[?&]q=${target.number}`));
    await expect(table.getByRole("link", { name: target.number, exact: true })).toBeVisible();
    await expect(table.getByRole("row")).toHaveCount(2);
    await expect(search).toBeFocused();
    // Debounced: not one search per letter (a slow machine may pause once mid-word), the last one whole.
    expect(new Set(searches).size).toBeLessThanOrEqual(2);
    expect(searches.at(-1)).toBe(target.number);

    // Another filter keeps the search; the box keeps its text.
    await page.getByLabel("State").selectOption("open");
    await expect(page).toHaveURL(/state=open/);
    await expect(page).toHaveURL(new RegExp(`q=${target.number}`));
    await expect(search).toHaveValue(target.number);

    // Back: the state filter goes, the search stays; Back again: no search, the full list.
    await page.goBack();
    await expect(page).not.toHaveURL(/state=/);
    await expect(page).toHaveURL(new RegExp(`q=${target.number}`));
    await expect(page.getByLabel("State")).toHaveValue("");
    await expect(search).toHaveValue(target.number);
    await page.goBack();
    await expect(page).toHaveURL(/\/tickets$/);
    await expect(search).toHaveValue("");
    await expect(table.getByRole("row")).toHaveCount(Math.min(tickets.total, 50) + 1);
    await page.goForward();
    await expect(search).toHaveValue(target.number);
    await expect(table.getByRole("row")).toHaveCount(2);
  });

  test("GET /tickets?page=999 – a page past the end shows the last page", async ({ page }) => {
    const { total } = await demoTickets(page);
    const last = Math.max(1, Math.ceil(total / 25));
    await page.goto("/tickets?pageSize=25&page=999");
    await expect(page).toHaveURL(new RegExp(`[?&]page=${last}(&|$)`));
    const first = (last - 1) * 25 + 1;
    await expect(pagination(page)).toContainText(new RegExp(`^${first}–${total} of ${total} tickets`));
    await page.goto("/recommendations?pageSize=25&page=999");
    await expect(page).toHaveURL(/[?&]page=\d+/);
    await expect(page).not.toHaveURL(/page=999/);
    await expect(page.getByRole("table").getByRole("row").nth(1)).toBeVisible();
  });

  test("an unknown id on a detail page is a styled 404 page with a way back, answered with HTTP 404", async ({ page }) => {
    const unknown = "00000000-0000-4000-8000-000000000000";
    const response = await page.goto(`/tickets/${unknown}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "There is no such ticket" })).toBeVisible();
    await expect(page.getByRole("navigation").first()).toBeVisible(); // inside the app's shell
    await page.screenshot({ path: "test-results/screens/not-found-ticket.png" });
    await page.getByRole("link", { name: "Back to Tickets" }).click();
    await expect(page).toHaveURL(/\/tickets$/);

    for (const [path, heading] of [
      [`/findings/${unknown}`, "There is no such finding"],
      ["/recommendations/no-such-recommendation", "There is no such recommendation"],
      [`/sync/${unknown}`, "There is no such sync run"],
      [
        `/resources/subscriptions/${unknown}/resourceGroups/nowhere/providers/Microsoft.Compute/virtualMachines/nothing`,
        "There is no such resource",
      ],
      ["/no-such-page", "This page does not exist"],
    ] as const) {
      const res = await page.goto(path);
      expect(res?.status(), path).toBe(404);
      await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
      await expect(page.getByRole("link", { name: "Go to the overview" })).toBeVisible();
    }
  });

  test("a value the list cannot use in the address gives one message on every list page, with the way out", async ({ page }) => {
    await demoTickets(page);
    for (const [path, param] of [
      ["/tickets?page=abc", "page=abc"],
      ["/tickets?state=banana", "state=banana"],
      ["/recommendations?severity=banana", "severity=banana"],
      ["/findings?severity=banana", "severity=banana"],
      ["/findings?page=abc", "page=abc"],
      ["/sync?status=banana", "status=banana"],
      ["/sync?page=0", "page=0"],
    ] as const) {
      await page.goto(path);
      const alert = page.getByTestId("invalid-address");
      // The API's answer (422) may take a moment on a busy machine during the first ingestion.
      await expect(alert, path).toBeVisible({ timeout: 30_000 });
      await expect(alert).toContainText("This address has a value the list cannot use");
      await expect(alert).toContainText(param);
      await expect(page.getByRole("table")).toHaveCount(0);
    }
    await page.screenshot({ path: "test-results/screens/invalid-address.png" });
    await page.goto("/recommendations?severity=banana&hasTicket=false");
    await page.getByRole("link", { name: "Show the list without it" }).click();
    await expect(page).toHaveURL(/\/recommendations\?hasTicket=false$/);
    await expect(page.getByRole("table").getByRole("row").nth(1)).toBeVisible();
  });
});
