import { mkdirSync } from "node:fs";
import { chromium, type FullConfig } from "@playwright/test";
import { type Persona, storageStatePath } from "./support/personas";
import { signIn } from "./support/sign-in";

// Signs in once per role through the real flow and saves the session, so specs start signed in.
export default async function globalSetup(config: FullConfig): Promise<void> {
  const { baseURL, launchOptions } = config.projects[0].use;
  mkdirSync("test-results/.auth", { recursive: true });
  const browser = await chromium.launch(launchOptions);
  try {
    for (const persona of ["admin", "analyst", "manager"] as Persona[]) {
      const context = await browser.newContext({ baseURL });
      const page = await context.newPage();
      await signIn(page, persona);
      await context.storageState({ path: storageStatePath(persona) });
      await context.close();
    }
  } finally {
    await browser.close();
  }
}
