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
  try {
    level = env().LOG_LEVEL;
  } catch {
    // Configuration errors are reported by the caller that validates env; logging must still work.
  }
  return pino({
    level,
    base: { service: "posturedesk" },
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}

const globalForLog = globalThis as unknown as { posturedeskLogger?: Logger };

export function logger(): Logger {
  globalForLog.posturedeskLogger ??= createLogger();
  return globalForLog.posturedeskLogger;
}

export type { Logger };
