// Keys for the embedded default only: generated once into .data/local-secrets.json (mode 0600) so
// sessions and encrypted secrets survive restarts. Production sets SESSION_SECRET and ENCRYPTION_KEY.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

type LocalSecrets = { SESSION_SECRET: string; ENCRYPTION_KEY: string };

export function loadLocalSecrets(file: string, current: NodeJS.ProcessEnv): Partial<LocalSecrets> {
  let stored: Partial<LocalSecrets> = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, "utf8")) as Partial<LocalSecrets>;
  const secrets: LocalSecrets = {
    SESSION_SECRET: stored.SESSION_SECRET ?? randomBytes(48).toString("base64url"),
    ENCRYPTION_KEY: stored.ENCRYPTION_KEY ?? randomBytes(32).toString("base64"),
  };
  if (!stored.SESSION_SECRET || !stored.ENCRYPTION_KEY) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  // Values already in the environment win.
  return {
    ...(current.SESSION_SECRET ? {} : { SESSION_SECRET: secrets.SESSION_SECRET }),
    ...(current.ENCRYPTION_KEY ? {} : { ENCRYPTION_KEY: secrets.ENCRYPTION_KEY }),
  };
}
