import { type APIRequestContext, expect } from "@playwright/test";

// Waiting for the demo data: after `npm start` the app's worker runs the first Defender ingestion
// (lib/demo/azure.ts) and the demo bootstrap then creates a few tickets. Specs that need either wait here.

type Page1 = { items: unknown[]; total: number };

/** GET an API route; the test fails unless it answers 200. */
export async function json<T>(api: APIRequestContext, url: string): Promise<T> {
  const res = await api.get(url);
  expect(res.status(), url).toBe(200);
  return (await res.json()) as T;
}

/** The first ingestion runs in the app's worker after start: wait until it has finished. */
export async function waitForIngestion(request: APIRequestContext): Promise<void> {
  await expect
    .poll(
      async () => {
        const res = await request.get("/api/azure-tenants");
        if (!res.ok()) return `HTTP ${res.status()}`;
        const page = (await res.json()) as { items: Array<{ lastRun: { status: string } | null }> };
        return page.items[0]?.lastRun?.status ?? "no run yet";
      },
      { timeout: 120_000, intervals: [1_000, 2_000, 3_000] },
    )
    .toMatch(/succeeded|partial/);
}

/** Waits until the demo bootstrap's tickets exist (so it cannot ticket the findings a test is about to use). */
export async function waitForDemoTickets(
  request: APIRequestContext,
  { timeout = 120_000, message = "the demo tickets after the first ingestion" }: { timeout?: number; message?: string } = {},
): Promise<void> {
  await expect
    .poll(async () => ((await (await request.get("/api/tickets?pageSize=1")).json()) as Page1).total, { timeout, message })
    .toBeGreaterThan(0);
}

/** The regulatory compliance summary once the first full ingestion has written it. */
export async function complianceSummary<S extends { standards: unknown[] }>(api: APIRequestContext): Promise<S> {
  let summary: S | undefined;
  await expect
    .poll(async () => (summary = await json<S>(api, "/api/compliance/summary")).standards.length, {
      timeout: 180_000,
      message: "regulatory compliance after the first full ingestion",
    })
    .toBeGreaterThan(0);
  return summary!;
}
