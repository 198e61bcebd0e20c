// vitest globalSetup of the `integration` project: one throwaway embedded PostgreSQL for the whole
// run, with a template database that has every migration applied; each test file clones its own
// database from it (test/db.ts). Plus one set of emulators (emulators/index.ts).
import { mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmulators, type EmulatorManifest } from "@/emulators/index";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { quoteIdent, withDatabase } from "@/lib/db/url";
import { TEST_ENCRYPTION_KEY, TEST_SESSION_SECRET } from "@/test/constants";

const TEMPLATE_DB = "posturedesk_template";

declare module "vitest" {
  export interface ProvidedContext {
    /** Superuser connection string to the "postgres" database of the test server. */
    pgAdminUrl: string;
    /** Migrated database to clone with CREATE DATABASE … TEMPLATE (test/db.ts does it). */
    templateDb: string;
    /** Where the emulators listen and which credentials they accept. */
    emulators: EmulatorManifest;
  }
}

/** Tells the final secret scan of `npm test` which values must never appear in logs or responses. */
function writeSeededSecrets(manifest: EmulatorManifest): void {
  const dir = process.env.POSTUREDESK_TEST_LOG_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const sn = manifest.servicenow as typeof manifest.servicenow & { otherUsers?: Array<{ username: string; password: string }> };
  const secrets = [
    { label: "test SESSION_SECRET", value: TEST_SESSION_SECRET },
    { label: "test ENCRYPTION_KEY", value: TEST_ENCRYPTION_KEY },
    { label: "Entra dashboard client secret", value: manifest.entra.dashboardApp.clientSecret },
    { label: "Azure service principal secret", value: manifest.entra.armServicePrincipal.clientSecret },
    { label: "Azure no-access principal secret", value: manifest.entra.noAccessServicePrincipal.clientSecret },
    { label: "ServiceNow password", value: manifest.servicenow.password },
    { label: "ServiceNow OAuth client secret", value: manifest.servicenow.oauthClientSecret },
    ...(sn.otherUsers ?? []).map((u) => ({ label: `ServiceNow password of ${u.username}`, value: u.password })),
  ];
  writeFileSync(join(dir, "integration.secrets.json"), JSON.stringify(secrets, null, 2));
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const teardown: (() => Promise<void>)[] = [];
  const runTeardown = async () => {
    for (const step of teardown.reverse()) await step().catch((error: unknown) => console.error("[global-setup] teardown:", error));
  };

  try {
    // ── database ──────────────────────────────────────────────────────────────────────────────
    const started = performance.now();
    const server = await startEmbeddedPostgres({ dataDir: await mkdtemp(join(tmpdir(), "posturedesk-test-pg-")), persistent: false });
    teardown.push(() => server.stop());
    const admin = new pg.Client({ connectionString: server.adminUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${quoteIdent(TEMPLATE_DB)}`);
    } finally {
      await admin.end();
    }
    await migrate(withDatabase(server.adminUrl, TEMPLATE_DB));
    project.provide("pgAdminUrl", server.adminUrl);
    project.provide("templateDb", TEMPLATE_DB);
    if (process.env.POSTURE_TEST_VERBOSE) {
      console.log(`[global-setup] PostgreSQL ready in ${Math.round(performance.now() - started)} ms (${server.url})`);
    }

    // ── emulators ─────────────────────────────────────────────────────────────────────────────
    // One set for the whole run (seed 42, size small); files that change them reset them through
    // the control API. Certificates live in .data/certs so the CA stays stable across runs.
    const emulatorDir = await mkdtemp(join(tmpdir(), "posturedesk-test-emu-"));
    teardown.push(() => rm(emulatorDir, { recursive: true, force: true }));
    const emulators = await startEmulators({
      dataDir: emulatorDir,
      seed: 42,
      size: "small",
      certDir: ".data/certs",
      manifestPath: null,
    });
    teardown.push(() => emulators.stop());
    project.provide("emulators", emulators.manifest);
    writeSeededSecrets(emulators.manifest);
    // Test workers are forked after this point and inherit it: MSAL only trusts CAs named at start.
    process.env.NODE_EXTRA_CA_CERTS ??= emulators.manifest.caBundlePath;
  } catch (error) {
    await runTeardown();
    throw error;
  }
  return runTeardown;
}
