// Temporary (helper E): screenshots of the ticket and connection pages of the .data/helperE app.
import { mkdirSync } from "node:fs";
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS, findChromium } from "@/scripts/lib/chromium";
import { signIn } from "@/e2e/support/sign-in";

async function main() {
  mkdirSync("test-results/screens", { recursive: true });
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  const persona = (process.argv[2] ?? "analyst") as "analyst" | "admin" | "manager";
  const context = await browser.newContext({ baseURL: "http://localhost:3200", viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.on("console", (m) => m.type() === "error" && console.log("console:", m.text()));
  await signIn(page, persona);
  for (const p of (process.argv[3] ?? "/tickets").split(",")) {
    await page.goto(p);
    await page.waitForTimeout(1500);
    const name = `helperE-${persona}${p.replace(/[^a-z0-9]+/gi, "-")}`;
    await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
    console.log("shot", name);
  }
  if (process.argv[4]) {
    // An action script: click a button by name then screenshot
    for (const step of process.argv[4].split("|")) {
      const [kind, arg] = step.split("=");
      if (kind === "click") await page.getByRole("button", { name: arg }).first().click();
      if (kind === "link") await page.getByRole("link", { name: arg }).first().click();
      if (kind === "wait") await page.waitForTimeout(Number(arg));
      if (kind === "shot") { await page.screenshot({ path: `test-results/screens/helperE-${arg}.png`, fullPage: true }); console.log("shot", arg); }
    }
  }
  await browser.close();
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
