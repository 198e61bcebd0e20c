import { type APIRequestContext } from "@playwright/test";
import { waitForIngestion } from "./support/demo";
import { describeAs, expect, test } from "./support/test";

// Vulnerability sub-findings on the demo data: the recommendation page lists the CVEs behind
// "Machines should have vulnerability findings resolved", filters its resources to one CVE, a finding's
// page shows its CVEs with links, and /findings filters by CVE (a malformed one is explained, not sent).

const SHOTS = "test-results/screens";
const MACHINES = "Machines should have vulnerability findings resolved";

async function machinesKey(request: APIRequestContext): Promise<string> {
  const res = await request.get(`/api/recommendations?q=${encodeURIComponent(MACHINES)}`);
  const body = (await res.json()) as { items: Array<{ key: string; displayName: string }> };
  const rec = body.items.find((r) => r.displayName === MACHINES);
  expect(rec, "the demo tenant has the machines vulnerability recommendation").toBeDefined();
  return rec!.key;
}

describeAs("analyst", "vulnerabilities", () => {
  test("the recommendation page lists CVEs with links and filters its resources to one CVE; the finding page shows that CVE", async ({
    page,
  }) => {
    await waitForIngestion(page.request);
    const key = await machinesKey(page.request);
    await page.goto(`/recommendations/${key}`);
    await expect(page.getByRole("heading", { level: 1, name: MACHINES })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Vulnerabilities" })).toBeVisible();
    const vulnerabilities = page.getByRole("table", { name: "Vulnerabilities of this recommendation's resources" }).locator("tbody tr");
    await expect(vulnerabilities.first()).toBeVisible({ timeout: 30_000 });
    // Worst first: the first row is High, and its CVE links to NIST's page in a new tab.
    await expect(vulnerabilities.first()).toContainText("High");
    const cveLink = vulnerabilities
      .first()
      .getByRole("link", { name: /^CVE-\d{4}-\d+/ })
      .first();
    const cve = (await cveLink.textContent())!.trim();
    await expect(cveLink).toHaveAttribute("href", `https://nvd.nist.gov/vuln/detail/${cve}`);
    await expect(cveLink).toHaveAttribute("target", "_blank");
    await page.screenshot({ path: `${SHOTS}/vulnerabilities-recommendation.png`, fullPage: true });

    // The search narrows the list to the CVE.
    await page.getByLabel("Search vulnerabilities").fill(cve.toLowerCase());
    await expect(vulnerabilities).toHaveCount(1);
    await expect(vulnerabilities.first()).toContainText(cve);

    // "Resources" filters the affected resources to exactly those the API finds for the CVE.
    const api = (await (await page.request.get(`/api/findings?cve=${cve}&recommendationKey=${key}&pageSize=100`)).json()) as {
      total: number;
      items: Array<{ id: string; resourceName: string }>;
    };
    expect(api.total).toBeGreaterThan(0);
    await vulnerabilities
      .first()
      .getByRole("button", { name: new RegExp(`Show the \\d+ resources with ${cve}`) })
      .click();
    await expect(page).toHaveURL(new RegExp(`cve=${cve}`));
    await expect(page.getByText(`Resources below filtered to ${cve}`)).toBeVisible();
    const resources = page.getByRole("table", { name: "Affected resources" }).locator("tbody tr");
    await expect(resources).toHaveCount(Math.min(api.total, 50));
    await page.screenshot({ path: `${SHOTS}/vulnerabilities-resources-by-cve.png`, fullPage: true });

    // The finding page of one of them: its CVE list, with the CVE and counts by severity.
    await resources
      .first()
      .getByRole("link", { name: /^Details of / })
      .click();
    await expect(page).toHaveURL(/\/findings\/[0-9a-f-]{36}$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(
      api.items.find((f) => page.url().endsWith(f.id))?.resourceName ?? /.+/,
    );
    const items = page.getByRole("table", { name: "Vulnerabilities of this finding" }).locator("tbody tr");
    await expect(items.first()).toBeVisible();
    await expect(page.getByRole("link", { name: `${cve} (opens in a new tab)` })).toHaveAttribute(
      "href",
      `https://nvd.nist.gov/vuln/detail/${cve}`,
    );
    await expect(page.getByLabel(/^Vulnerabilities by severity: \d+/)).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/vulnerabilities-finding.png`, fullPage: true });

    // The filter on the finding page.
    const before = await items.count();
    await page.getByLabel("Filter vulnerabilities").fill(cve);
    await expect(items).toHaveCount(1);
    await page.getByLabel("Filter vulnerabilities").fill("no-such-vulnerability");
    await expect(page.getByText("No vulnerability matches this filter")).toBeVisible();
    await page.getByLabel("Filter vulnerabilities").fill("");
    await expect(items).toHaveCount(before);
  });

  test("/findings filters by CVE; a malformed CVE is explained in the form", async ({ page }) => {
    await waitForIngestion(page.request);
    const key = await machinesKey(page.request);
    const vulns = (await (await page.request.get(`/api/recommendations/${key}/vulnerabilities`)).json()) as {
      items: Array<{ cves: Array<{ id: string }>; findings: number }>;
    };
    const withCve = vulns.items.find((v) => v.cves.length > 0)!;
    const cve = withCve.cves[0]!.id;
    const api = (await (await page.request.get(`/api/findings?cve=${cve}`)).json()) as { total: number };
    expect(api.total).toBeGreaterThanOrEqual(withCve.findings);

    await page.goto("/findings");
    const cveField = page.getByRole("search", { name: "Filter by CVE" }).getByLabel("CVE");
    await cveField.fill("CVE-24-1");
    await page.getByRole("button", { name: "Filter", exact: true }).click();
    await expect(page.getByText("Enter a CVE id such as CVE-2024-3094")).toBeVisible();
    await expect(page).not.toHaveURL(/cve=/);

    await cveField.fill(cve.toLowerCase());
    await cveField.press("Enter");
    await expect(page).toHaveURL(new RegExp(`cve=${cve}`));
    const rows = page.getByRole("table", { name: "Affected resources" }).locator("tbody tr");
    await expect(rows).toHaveCount(Math.min(api.total, 50));
    await page.screenshot({ path: `${SHOTS}/vulnerabilities-findings-by-cve.png`, fullPage: true });

    await page.getByRole("button", { name: "Clear CVE filter" }).click();
    await expect(page).not.toHaveURL(/cve=/);
  });
});
