import { readFileSync } from "node:fs";
import path from "node:path";

// The e2e app's emulators (started by the Playwright webServer with POSTUREDESK_DATA_DIR=.data/e2e).
export type E2EManifest = {
  entra: { url: string; browserUrl: string; tenantId: string };
  arm: { url: string };
  servicenow: { url: string; username: string; password: string };
};

export function e2eManifest(): E2EManifest {
  return JSON.parse(readFileSync(path.join(__dirname, "..", "..", ".data", "e2e", "emulators.json"), "utf8")) as E2EManifest;
}
