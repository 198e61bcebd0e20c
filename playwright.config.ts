import { existsSync } from "node:fs";
import path from "node:path";
import { chromium, defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS, findChromium, NO_CHROMIUM_MESSAGE } from "./scripts/lib/chromium";

// End-to-end tests run against the production build, started by the same launcher as `npm start`
// but with its own data directory (fresh embedded PostgreSQL, emulators seed 42) and port.

const PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_DATA_DIR = path.join(__dirname, ".data", "e2e");

function executablePath(): string | undefined {
  const found = findChromium();
  if (found) return found;
  try {
    const bundled = chromium.executablePath();
    if (bundled && existsSync(bundled)) return undefined; // Playwright's own browser
  } catch {
    // not installed
  }
  throw new Error(NO_CHROMIUM_MESSAGE);
}

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/e2e",
  fullyParallel: false,
  // Two browsers at once: the read-only accessibility walk (about five minutes of axe scans) runs beside
  // the other specs, which keep running one at a time in file order (they share one app and its data).
  // "Sign out everywhere" ends every session of the manager persona the others use, so it runs last,
  // alone. Each project's `workers` caps it at one worker.
  workers: 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  globalSetup: "./e2e/global-setup.ts",
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    viewport: { width: 1440, height: 900 },
    launchOptions: { executablePath: executablePath(), args: CHROMIUM_ARGS },
  },
  projects: [
    { name: "accessibility", testMatch: /accessibility\.spec\.ts$/, workers: 1 },
    { name: "chromium", testIgnore: [/accessibility\.spec\.ts$/, /security\.spec\.ts$/], workers: 1 },
    { name: "sessions", testMatch: /security\.spec\.ts$/, workers: 1, dependencies: ["chromium", "accessibility"] },
  ],
  webServer: {
    command: "node ./node_modules/tsx/dist/cli.mjs --conditions=react-server scripts/start.ts",
    url: `http://localhost:${PORT}/api/health`,
    reuseExistingServer: false,
    timeout: 240_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(PORT),
      POSTUREDESK_DATA_DIR: E2E_DATA_DIR,
      EMULATOR_SEED: "42",
      EMULATOR_SIZE: "demo",
      POSTUREDESK_FRESH_DATA: "1",
      // The whole suite runs against a customized ServiceNow instance (data policy, custom field, rate
      // limit): the baseline profile is what the integration tests cover on both.
      POSTUREDESK_EMULATOR_PROFILE: process.env.POSTUREDESK_EMULATOR_PROFILE ?? "customized",
      // Specs share the sessions saved by global-setup.ts; a rotation retires the cookie they hold, so
      // during one run the cookie is not reissued (the rotation itself is tested in test/routes/auth-security.int.test.ts).
      SESSION_ROTATE_MINUTES: "240",
      // The app's log lines go to a file that `npm test` scans for seeded secrets.
      LOG_FILE: path.join(__dirname, "test-results", "logs", "e2e-server.log"),
      LOG_LEVEL: "debug",
      // Ticket creations ServiceNow did not confirm are retried after 3–6 s (default 15–30 s), so
      // e2e/ticket-retry.spec.ts sees the retry within its timeout.
      TICKET_RETRY_BASE_SECONDS: "3",
      // The findings list counts exactly up to this many rows, then says "more than N" (default 1,000):
      // low enough that the demo data shows the lower-bound display (e2e/findings-paging.spec.ts).
      LIST_EXACT_COUNT_LIMIT: "100",
    },
  },
});
