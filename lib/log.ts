import "server-only";
import pino, { type Logger } from "pino";
import { env } from "@/lib/env";

// Keys whose values never reach a log line, wherever they appear (two levels deep covers our shapes;
// pino's redaction is path-based, so the list names the nesting explicitly).
const SECRET_KEYS = [
  "password",
  "passwordEnc",
  "secret",
  "clientSecret",
  "client_secret",
  "clientSecretEnc",
  "oauthClientSecret",
  "oauthClientSecretEnc",
  "webhookSecret",
  "webhookSecretEnc",
  "token",
  "accessToken",
  "access_token",
  "refreshToken",
  "refresh_token",
  "id_token",
  "authorization",
  "Authorization",
  "cookie",
  "Cookie",
  "set-cookie",
];

export const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

function createLogger(): Logger {
  let level = "info";
  let file: string | undefined;
  try {
    level = env().LOG_LEVEL;
    file = env().LOG_FILE;
  } catch {
    // Configuration errors are reported by the caller that validates env; logging must still work.
  }
  const destination = file ? pino.destination({ dest: file, append: true, mkdir: true, sync: true }) : undefined;
  return pino(
    {
      level,
      base: { service: "posturedesk" },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

const globalForLog = globalThis as unknown as { posturedeskLogger?: Logger };

/** Forget the process logger (tests that change LOG_LEVEL/LOG_FILE). */
export function resetLogger(): void {
  globalForLog.posturedeskLogger = undefined;
}

export function logger(): Logger {
  globalForLog.posturedeskLogger ??= createLogger();
  return globalForLog.posturedeskLogger;
}

export type { Logger };
