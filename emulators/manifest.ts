// `.data/emulators.json`: written by the emulators when they start, read by scripts/start.ts, tests and
// benchmarks so nobody guesses ports or credentials. Validated with zod on both sides.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const ZClient = z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1) }).strict();

export const ZEmulatorManifest = z
  .object({
    version: z.literal(1),
    startedAt: z.string(),
    pid: z.number().int(),
    seed: z.number().int(),
    size: z.enum(["small", "demo", "large", "estate"]),
    /** PEM of the local CA; `caBundlePath` = what NODE_EXTRA_CA_CERTS must point to. */
    caCertPath: z.string().min(1),
    caBundlePath: z.string().min(1),
    tenantId: z.string().uuid(),
    domain: z.string().min(1),
    entra: z
      .object({
        /** HTTPS base (token, discovery, JWKS): authority = `${url}/${tenantId}`. */
        url: z.string().url(),
        /** Plain-HTTP base for the browser-facing sign-in page (no certificate warning). */
        browserUrl: z.string().url(),
        authority: z.string().url(),
        /** MSAL `knownAuthorities` entry (host:port). */
        knownAuthority: z.string().min(1),
        /** The dashboard's app registration (sign-in; app roles Admin/Analyst/Manager). */
        dashboardApp: ZClient,
        /** Service principal with Security Reader on every subscription (ARM calls). */
        armServicePrincipal: ZClient,
        /** Service principal with a valid token and no role anywhere (ARM answers 403). */
        noAccessServicePrincipal: ZClient,
      })
      .strict(),
    arm: z
      .object({
        url: z.string().url(),
        /** Audience of ARM tokens; request scope `${audience}.default`. */
        audience: z.string().url(),
        subscriptionIds: z.array(z.string().uuid()),
      })
      .strict(),
    /** The same Resource Manager as Azure US Government serves it (audience https://management.usgovcloudapi.net/). */
    armGov: z
      .object({
        url: z.string().url(),
        audience: z.string().url(),
        subscriptionIds: z.array(z.string().uuid()),
      })
      .strict()
      .optional(),
    servicenow: z
      .object({
        url: z.string().url(),
        /** Instance profile (emulators/servicenow/profiles.ts); absent in older manifests: baseline. */
        profile: z.enum(["baseline", "customized"]).optional(),
        username: z.string().min(1),
        password: z.string().min(1),
        oauthClientId: z.string().min(1),
        oauthClientSecret: z.string().min(1),
      })
      .passthrough(),
    /** Seeded people who can sign in (password-less demo sign-in page). */
    users: z.array(
      z
        .object({
          oid: z.string().uuid(),
          email: z.string().email(),
          displayName: z.string(),
          role: z.enum(["Admin", "Analyst", "Manager"]).nullable(),
        })
        .strict(),
    ),
  })
  .strict();

export type EmulatorManifest = z.infer<typeof ZEmulatorManifest>;

export class ManifestError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ManifestError";
  }
}

export function readManifest(file: string): EmulatorManifest {
  let raw: string;
  try {
    raw = readFileSync(file, "utf8");
  } catch (error) {
    throw new ManifestError(`No emulator manifest at ${file}: start the emulators with \`npm run emulators\`.`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new ManifestError(`The emulator manifest ${file} is not valid JSON.`, { cause: error });
  }
  const result = ZEmulatorManifest.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new ManifestError(`The emulator manifest ${file} is invalid: ${issues}`);
  }
  return result.data;
}

/** Writes atomically (readers never see half a file); mode 0600 because it holds demo credentials. */
export function writeManifest(file: string, manifest: EmulatorManifest): void {
  const checked = ZEmulatorManifest.parse(manifest);
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(checked, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}
