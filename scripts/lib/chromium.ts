import { existsSync } from "node:fs";

/** Chromium for Playwright: PLAYWRIGHT_CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own. */
export function findChromium(): string | undefined {
  const candidates = [process.env.PLAYWRIGHT_CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean) as string[];
  for (const c of candidates) if (existsSync(c)) return c;
  return undefined;
}

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export const NO_CHROMIUM_MESSAGE = [
  "No Chromium found for the end-to-end tests.",
  "Install one of:",
  "  - Debian/Ubuntu: sudo apt-get install -y chromium   (then /usr/bin/chromium is used)",
  "  - any Chromium/Chrome binary, and set PLAYWRIGHT_CHROMIUM_PATH=/path/to/it",
  "  - Playwright's own browser: npx playwright install chromium (needs internet access)",
].join("\n");
