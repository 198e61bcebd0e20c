import { appendFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { test as base, expect } from "@playwright/test";
import { type Persona, storageStatePath } from "./personas";

// Every spec imports `test` from here: it records the API responses the browser receives, so
// `npm test`'s final secret scan covers what the UI was sent, not only what the server logged.
const logDir = path.join(__dirname, "..", "..", "test-results", "logs");

export const test = base.extend<{ recordApiResponses: void }>({
  recordApiResponses: [
    async ({ page }, use) => {
      mkdirSync(logDir, { recursive: true });
      const file = path.join(logDir, "e2e-responses.log");
      page.on("response", async (response) => {
        const url = new URL(response.url());
        if (!url.pathname.startsWith("/api/")) return;
        try {
          const body = await response.text();
          appendFileSync(file, `${response.request().method()} ${url.pathname}${url.search} ${response.status()}\n${body}\n`);
        } catch {
          // Redirects and aborted requests have no body to record.
        }
      });
      await use();
    },
    { auto: true },
  ],
});

/** `test.describe(title, body)` whose tests run signed in as `persona` (its saved storage state). */
export function describeAs(persona: Persona, title: string, body: () => void): void {
  test.describe(title, () => {
    test.use({ storageState: storageStatePath(persona) });
    body();
  });
}

export { expect };
