// The only reader of process.env. Configuration is validated once, at start, with a message that
// names each bad variable. scripts/start.ts fills in the embedded defaults (database, emulators,
// generated keys) before the app and the worker start, so in production every value comes from the
// deployment's environment.
import { isIP } from "node:net";
import { z } from "zod";

function isAddressOrCidr(value: string): boolean {
  const [address, bits, extra] = value.split("/");
  if (extra !== undefined || !isIP(address)) return false;
  if (bits === undefined) return true;
  const max = isIP(address) === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
}

const booleanString = z.enum(["true", "false", "1", "0", "yes", "no"]).transform((v) => v === "true" || v === "1" || v === "yes");

/** A comma-separated list (blank entries dropped); empty when unset. */
const commaList = z
  .string()
  .default("")
  .transform((v) =>
    v
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean),
  );

const base64Key = z
  .string()
  .trim()
  .refine((v) => Buffer.from(v, "base64").length === 32, "must be 32 bytes, base64-encoded (openssl rand -base64 32)");

const httpUrl = z
  .string()
  .trim()
  .url()
  .refine((v) => /^https?:\/\//.test(v), "must be an http(s) URL")
  .transform((v) => v.replace(/\/+$/, ""));

export const ZEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** PostgreSQL 14+ connection string. */
  DATABASE_URL: z.string().trim().min(1, "is required (npm start provides an embedded database when unset)").url(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** The URL users open; used for redirects and the Origin check. */
  APP_URL: httpUrl.default("http://localhost:3000"),
  /** Session cookie key: at least 32 characters of randomness. */
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters"),
  SESSION_TTL_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(7 * 24 * 60)
    .default(8 * 60),
  /** A session unused this long ends (besides the absolute SESSION_TTL_MINUTES). */
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(7 * 24 * 60)
    .default(60),
  /** The session cookie is reissued (and the previous one retired) once it is this old. */
  SESSION_ROTATE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(10),
  /**
   * Proxies whose X-Forwarded-For is believed (comma-separated IPs or CIDRs). Default none: the audit
   * log and anything else keyed on the client address use the connecting peer.
   */
  TRUSTED_PROXIES: commaList.refine(
    (list) => list.every(isAddressOrCidr),
    "must be comma-separated IP addresses or CIDR ranges (e.g. 10.0.0.5,10.1.0.0/16)",
  ),
  /** AES-256-GCM key for secrets at rest (base64, 32 bytes). */
  ENCRYPTION_KEY: base64Key,
  /** Previous keys, comma-separated, still accepted for decryption during a rotation. */
  ENCRYPTION_KEYS_PREVIOUS: commaList.pipe(z.array(base64Key)),
  /** Entra ID sign-in: authority = {host}/{tenantId}. */
  ENTRA_AUTHORITY: httpUrl,
  ENTRA_CLIENT_ID: z.string().trim().min(1),
  ENTRA_CLIENT_SECRET: z.string().min(1),
  /** Extra authority hosts MSAL should trust without instance discovery (the emulator). */
  ENTRA_KNOWN_AUTHORITIES: commaList,
  /** App role values that map to PostureDesk roles (docs/OPERATIONS.md). */
  ENTRA_ROLE_ADMIN: z.string().default("Admin"),
  ENTRA_ROLE_ANALYST: z.string().default("Analyst"),
  ENTRA_ROLE_MANAGER: z.string().default("Manager"),
  /** Allow connections to loopback/private addresses (the bundled emulators). Off in production. */
  ALLOW_PRIVATE_NETWORK: booleanString.default(false),
  /** Apply pending migrations when the server starts (the container image sets it; `npm start` migrates itself). */
  MIGRATE_ON_START: booleanString.default(false),
  /** Run the job worker inside the app process. */
  WORKER_IN_PROCESS: booleanString.default(true),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  /** Ticket creations ServiceNow did not confirm: first retry after this many seconds, doubling (docs/OPERATIONS.md). */
  TICKET_RETRY_BASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),
  /** …at most this long between two attempts… */
  TICKET_RETRY_MAX_DELAY_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /** …and this many attempts in all (the request's own included) before the request is marked failed. */
  TICKET_RETRY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
  /** Set by `npm start` on the embedded default: shows demo hints (the emulators' sign-in page lists demo users). */
  DEMO_MODE: booleanString.default(false),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Append JSON log lines to this file instead of stdout. */
  LOG_FILE: z.string().trim().min(1).optional(),
  /**
   * List totals (findings) are exact up to this many rows; past it the answer says "more than N"
   * (totalIsLowerBound) instead of counting every row (docs/PERFORMANCE.md, list APIs).
   */
  LIST_EXACT_COUNT_LIMIT: z.coerce.number().int().min(10).max(10_000_000).default(1000),
  /** Largest accepted request body, in bytes. */
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    .default(1024 * 1024),
});

export type TEnv = z.infer<typeof ZEnv>;

export class EnvError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join("\n")}`);
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): TEnv {
  const result = ZEnv.safeParse(source);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`));
  }
  return result.data;
}

let cached: TEnv | undefined;

/** Validated configuration of this process (parsed once). */
export function env(): TEnv {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Tests and the launcher re-read configuration after changing process.env. */
export function resetEnvCache(): void {
  cached = undefined;
}

/** A raw variable that is not application configuration (e.g. for the launcher's own defaults). */
export function rawEnv(name: string): string | undefined {
  return process.env[name];
}
