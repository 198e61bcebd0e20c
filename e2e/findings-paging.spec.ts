import { type APIRequestContext } from "@playwright/test";
import { describeAs, expect, test } from "./support/test";

// The findings list's keyset paging and its "more than N" total in the browser. The e2e server counts
// exactly up to LIST_EXACT_COUNT_LIMIT=100 rows (playwright.config.ts), so the demo data — a few hundred
// findings — shows the lower-bound display honestly: the API itself says totalIsLowerBound.

const SHOTS = "test-results/screens";

type Page1 = {
  items: Array<{ id: string; resourceName: string; recommendationKey: string }>;
  total: number;
  totalIsLowerBound: boolean;
  page: number;
  nextCursor: string | null;
};

async function waitForFindings(request: APIRequestContext): Promise<Page1> {
  let last: Page1 | null = null;
  await expect
    .poll(
      async () => {
        const res = await request.get("/api/findings?pageSize=25");
        if (!res.ok()) return `HTTP ${res.status()}`;
        last = (await res.json()) as Page1;
        return last.totalIsLowerBound ? "more than N" : `${last.total} findings`;
      },
      { timeout: 120_000, intervals: [1_000, 2_000, 3_000] },
    )
    .toBe("more than N");
  return last!;
}

describeAs("analyst", "findings paging", () => {
  test("the list says 'more than 100', pages forward by cursor past the first page and back by page number", async ({ page }) => {
    // Waits for the first ingestion of the demo data, then walks five pages.
    test.setTimeout(180_000);
    const api = await waitForFindings(page.request);
    expect(api.total).toBe(100);
    expect(api.nextCursor).not.toBeNull();

    await page.goto("/findings?pageSize=25");
    const table = page.getByRole("table", { name: "Affected resources" });
    const pager = page.getByRole("navigation", { name: "Pagination" });
    await expect(table.locator("tbody tr").first()).toBeVisible();
    await expect(pager).toContainText("1–25 of more than 100 resources");
    await expect(pager).toContainText("Page 1");
    await expect(pager).not.toContainText("Page 1 of");
    const firstPage = await table.locator("tbody tr").allInnerTexts();
    await page.screenshot({ path: `${SHOTS}/findings-more-than.png`, fullPage: true });

    // Forward: the server's nextCursor opens page 2 (the URL carries it), 26–50, different rows.
    await pager.getByRole("button", { name: "Next page" }).click();
    await expect(page).toHaveURL(/[?&]cursor=[A-Za-z0-9_-]+/);
    await expect(page).toHaveURL(/[?&]page=2\b/);
    await expect(pager).toContainText("26–50 of more than 100 resources");
    await expect(pager).toContainText("Page 2");
    const secondPage = await table.locator("tbody tr").allInnerTexts();
    expect(secondPage).not.toEqual(firstPage);
    // The rows are the API's page 2 by page number: the cursor skipped nothing and repeated nothing.
    const byNumber = (await (await page.request.get("/api/findings?pageSize=25&page=2")).json()) as Page1;
    for (const f of byNumber.items.slice(0, 5))
      await expect(table.getByRole("link", { name: f.resourceName, exact: true }).first()).toBeVisible();

    // And on to page 5 (past the counted 100): the lower bound grows with what the pages proved.
    for (let p = 3; p <= 5; p++) {
      await pager.getByRole("button", { name: "Next page" }).click();
      await expect(pager).toContainText(`Page ${p}`);
    }
    await expect(pager).toContainText(/101–125 of more than 1\d\d resources/);

    // Back: by page number (no cursor in the URL).
    await pager.getByRole("button", { name: "Previous page" }).click();
    await expect(pager).toContainText("Page 4");
    await expect(page).not.toHaveURL(/cursor=/);

    // A filter the count can finish shows the exact total, without "more than".
    const key = api.items[0]!.recommendationKey;
    const exact = (await (await page.request.get(`/api/findings?recommendationKey=${key}&pageSize=25`)).json()) as Page1;
    expect(exact.totalIsLowerBound).toBe(false);
    await page.goto(`/findings?recommendationKey=${key}&pageSize=25`);
    await expect(pager).toContainText(`of ${exact.total.toLocaleString("en-US")} resources`);
    await expect(pager).not.toContainText("more than");
  });

  test("a malformed cursor in the API is a 400 with a message", async ({ page }) => {
    const res = await page.request.get("/api/findings?cursor=not-a-cursor");
    expect(res.status()).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/Invalid cursor/);
  });
});
