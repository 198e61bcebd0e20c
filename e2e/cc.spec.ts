import { request as playwrightRequest } from "@playwright/test";
import { e2eManifest } from "./support/manifest";
import { json } from "./support/demo";
import { storageStatePath } from "./support/personas";
import { describeAs, expect, test } from "./support/test";

// Configuration Compliance end to end (e2e instance: seed 42, demo size): the emulated ServiceNow's own
// Defender integration has imported test results; the demo connection reads them on its sync. In
// ServiceNow a failing test result is then marked passed (as a scanner disagreement would do), an analyst
// runs the sync, and a manager sees the resulting coverage gap on /compliance/cc, drills down to the
// finding behind it and sees its CC result next to it; an analyst creates an ITSM ticket for the
// findings of a remediation task (the usual ticket dialog).

const CONNECTION = "ServiceNow (emulator)";
type Coverage = {
  totals: { unhealthy: number; covered: number; gap: number; results: number; tasks: number };
  subscriptions: { items: Array<{ subscriptionId: string; subscriptionName: string | null; gap: number }> };
};

describeAs("analyst", "Configuration Compliance view", () => {
  test("GET /compliance/cc – a manager sees CC coverage per subscription and drills down to the finding ServiceNow does not report as failed", async ({
    page,
    browser,
    baseURL,
  }) => {
    test.setTimeout(300_000);
    // After the first sync the CC results are read.
    await expect
      .poll(async () => (await json<Coverage>(page.request, "/api/compliance/cc")).totals.results, {
        timeout: 180_000,
        message: "CC results read by the first sync",
      })
      .toBeGreaterThan(0);

    // In ServiceNow, one failed test result turns Passed.
    const findings = await json<{
      items: Array<{
        id: string;
        resourceId: string;
        resourceName: string;
        subscriptionId: string;
        cc: { number: string; result: string } | null;
      }>;
    }>(page.request, "/api/findings?status=Unhealthy&cc=failed&sort=resource&pageSize=100");
    // A resource in a resource group (subscription-scoped findings are listed by subscription name).
    const target = findings.items.find((f) => f.cc?.result === "Failed" && /\/resourcegroups\//i.test(f.resourceId))!;
    expect(target, "an unhealthy finding with a failed CC result").toBeTruthy();
    const sn = e2eManifest().servicenow.url;
    const emu = await playwrightRequest.newContext({ ignoreHTTPSErrors: true });
    const found = (await (
      await emu.get(`${sn}/_emulator/records/sn_vulc_result?sysparm_query=${encodeURIComponent(`number=${target.cc!.number}`)}`)
    ).json()) as { result: Array<{ sys_id: string }> };
    const patched = await emu.patch(`${sn}/_emulator/records/sn_vulc_result/${found.result[0]!.sys_id}`, {
      data: { fields: { result: "passed" }, force: true },
    });
    expect(patched.status()).toBe(200);
    await emu.dispose();

    // The analyst runs the sync; it reads the change.
    const { items: connections } = await json<{ items: Array<{ id: string; name: string }> }>(page.request, "/api/connections?pageSize=50");
    const connectionId = connections.find((c) => c.name === CONNECTION)!.id;
    await expect
      .poll(
        async () => {
          // The target's own subscription: other subscriptions may have gaps from the start (unhealthy
          // findings with no CC result), so the total says nothing about this sync (CI waited 5 minutes for
          // a link that only the sync would make).
          const coverage = await json<Coverage>(page.request, "/api/compliance/cc?pageSize=100");
          const gap = coverage.subscriptions.items.find((s) => s.subscriptionId === target.subscriptionId)?.gap ?? 0;
          // "Run now" (a run already in progress answers 409; the next poll queues again).
          if (gap === 0) await page.request.post(`/api/connections/${connectionId}/sync`, { headers: { origin: baseURL! } });
          return gap;
        },
        { timeout: 180_000, intervals: [5_000], message: "the gap in the target's subscription after the sync" },
      )
      .toBeGreaterThan(0);

    const manager = await browser.newContext({ storageState: storageStatePath("manager"), baseURL });
    const mp = await manager.newPage();
    await mp.goto("/compliance");
    await mp.getByRole("link", { name: "Configuration Compliance" }).click();
    await expect(mp.getByRole("heading", { level: 1, name: "Configuration Compliance" })).toBeVisible();
    await expect(mp.getByText(`${CONNECTION}:`)).toBeVisible();
    await expect(mp.getByText(/integration last delivered/)).toBeVisible();
    const table = mp.getByRole("table", { name: "Configuration Compliance coverage per subscription" });
    const row = table.getByRole("row").filter({ hasText: target.subscriptionId });
    await expect(row).toBeVisible();
    await mp.screenshot({ path: "test-results/screens/cc-coverage.png", fullPage: true });
    await row.getByRole("link", { name: /findings without a failed CC result/ }).click();
    await expect(mp).toHaveURL(/\/findings\?cc=gap&subscriptionId=/);
    await expect(mp.getByText("Configuration Compliance: Unhealthy in Defender, no failed CC result")).toBeVisible();
    const findingRow = mp.getByRole("row").filter({ has: mp.getByText(target.resourceName, { exact: true }) });
    await expect(findingRow.first()).toBeVisible();
    await expect(findingRow.first().getByText("CC Passed")).toBeVisible();
    await mp.screenshot({ path: "test-results/screens/cc-drilldown.png" });
    await manager.close();
  });

  test("POST /api/tickets – an analyst creates an ITSM ticket for the findings of a CC remediation task", async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto("/compliance/cc");
    const tasks = page.getByRole("table", { name: "Open remediation tasks" });
    const first = tasks.getByRole("button", { name: /^Create ticket for the findings of VCG\d+/ }).first();
    await expect(first).toBeVisible({ timeout: 30_000 });
    await first.click();
    const dialog = page.getByRole("dialog", { name: "Create ServiceNow ticket" });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByLabel("Short description")).not.toHaveValue("", { timeout: 30_000 });
    await page.screenshot({ path: "test-results/screens/cc-task-ticket-dialog.png" });
    await dialog.getByRole("button", { name: "Create ticket" }).click();
    await expect(page.getByRole("status").filter({ hasText: /Created (INC\d{7}|\d+ tickets)/ })).toBeVisible({ timeout: 60_000 });
  });
});
