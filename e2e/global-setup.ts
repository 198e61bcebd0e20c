import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium, type FullConfig } from "@playwright/test";
import { type Persona, storageStatePath } from "./support/personas";
import { signIn } from "./support/sign-in";

// Signs in once per role through the real flow and saves the session, so specs start signed in.
/** The e2e app's secrets (emulator credentials, generated keys) for the secret scan of `npm test`. */
function writeSeededSecrets(): void {
  const dataDir = path.join(__dirname, "..", ".data", "e2e");
  const manifest = JSON.parse(readFileSync(path.join(dataDir, "emulators.json"), "utf8"));
  const keys = JSON.parse(readFileSync(path.join(dataDir, "local-secrets.json"), "utf8"));
  const secrets = [
    { label: "e2e SESSION_SECRET", value: keys.SESSION_SECRET },
    { label: "e2e ENCRYPTION_KEY", value: keys.ENCRYPTION_KEY },
    { label: "e2e Entra dashboard client secret", value: manifest.entra.dashboardApp.clientSecret },
    { label: "e2e Azure service principal secret", value: manifest.entra.armServicePrincipal.clientSecret },
    { label: "e2e ServiceNow password", value: manifest.servicenow.password },
    { label: "e2e ServiceNow OAuth client secret", value: manifest.servicenow.oauthClientSecret },
  ];
  const logDir = path.join(__dirname, "..", "test-results", "logs");
  mkdirSync(logDir, { recursive: true });
  writeFileSync(path.join(logDir, "e2e.secrets.json"), JSON.stringify(secrets, null, 2));
}

export default async function globalSetup(config: FullConfig): Promise<void> {
  writeSeededSecrets();
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
