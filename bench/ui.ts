// Page loads in a real browser (docs/PERFORMANCE.md, "UI"): signs in to a running PostureDesk through
// its Entra ID sign-in page as the demo admin, then opens every page of the main navigation `--rounds`
// times in Chromium (1366×800, a laptop screen) and prints, per page, the server's answer (Navigation
// Timing responseStart), DOMContentLoaded, and "ready" — the page's heading visible and its data
// requests settled (the last request of the page finished, like a person waiting for the table) — as
// medians over the rounds.
// `--screenshots DIR` also saves one PNG per page (what README.md shows).
//
//   npm start   # in another shell; then:
//   npx tsx bench/ui.ts --url http://localhost:3000 [--rounds 5] [--screenshots docs/screenshots]
import { mkdirSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Page, type Request } from "@playwright/test";
import { NAV_ITEMS } from "@/components/shell/nav-items";
import { CHROMIUM_ARGS, findChromium } from "@/scripts/lib/chromium";

const { values } = parseArgs({
  options: {
    url: { type: "string", default: "http://localhost:3000" },
    rounds: { type: "string", default: "5" },
    screenshots: { type: "string" },
  },
});
const ROUNDS = Number(values.rounds);
const log = (m: string) => process.stdout.write(`[ui] ${m}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const fmt = (ms: number) => `${Math.round(ms)} ms`.padStart(8);

async function signIn(page: Page): Promise<void> {
  await page.goto(`${values.url}/signin`);
  await page.getByRole("link", { name: "Sign in with Microsoft" }).click();
  await page.getByRole("button", { name: "Sign in as Ada Admin" }).click();
  await page.getByRole("navigation", { name: "Main" }).waitFor();
}

async function measure(page: Page, href: string): Promise<{ response: number; dom: number; ready: number }> {
  const started = Date.now();
  let lastFinished = started;
  // Next prefetches the pages its links point to (`?_rsc=`): not this page's data.
  const onFinished = (request: Request) => {
    if (!request.url().includes("_rsc=")) lastFinished = Date.now();
  };
  page.on("requestfinished", onFinished);
  await page.goto(`${values.url}${href}`, { waitUntil: "domcontentloaded" });
  await page.getByRole("heading", { level: 1 }).first().waitFor();
  const headingAt = Date.now();
  // Network idle = no request for 500 ms; "ready" is when the last of them finished, not the idle wait.
  await page.waitForLoadState("networkidle");
  page.off("requestfinished", onFinished);
  const ready = Math.max(headingAt, lastFinished) - started;
  const nav = await page.evaluate(() => {
    const [n] = performance.getEntriesByType("navigation") as PerformanceNavigationTiming[];
    return { response: n!.responseStart - n!.startTime, dom: n!.domContentLoadedEventEnd - n!.startTime };
  });
  return { ...nav, ready };
}

async function main(): Promise<void> {
  const browser = await chromium.launch({ executablePath: findChromium() ?? undefined, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
    const page = await context.newPage();
    await signIn(page);
    const rows: Array<{ label: string; href: string; response: number; dom: number; ready: number }> = [];
    for (const item of NAV_ITEMS) {
      const samples = [];
      await measure(page, item.href); // warm: the first visit compiles nothing in production, but fills caches
      for (let i = 0; i < ROUNDS; i++) samples.push(await measure(page, item.href));
      rows.push({
        label: item.label,
        href: item.href,
        response: median(samples.map((s) => s.response)),
        dom: median(samples.map((s) => s.dom)),
        ready: median(samples.map((s) => s.ready)),
      });
      if (values.screenshots) {
        mkdirSync(values.screenshots, { recursive: true });
        const file = path.join(values.screenshots, `${item.href === "/" ? "overview" : item.href.slice(1).replace(/\//g, "-")}.png`);
        await page.screenshot({ path: file });
      }
    }
    log(`${values.url}, ${ROUNDS} rounds after a warm-up, medians (ms from navigation start):`);
    log(`  ${"page".padEnd(18)} ${"response".padStart(8)} ${"DOM".padStart(8)} ${"ready".padStart(8)}`);
    for (const r of rows) log(`  ${r.label.padEnd(18)} ${fmt(r.response)} ${fmt(r.dom)} ${fmt(r.ready)}`);
    log(
      `  ${"all pages".padEnd(18)} ${fmt(median(rows.map((r) => r.response)))} ${fmt(median(rows.map((r) => r.dom)))} ${fmt(median(rows.map((r) => r.ready)))}`,
    );
  } finally {
    await browser.close();
  }
}

main().catch((error: Error) => {
  log(error.stack ?? error.message);
  process.exit(1);
});
