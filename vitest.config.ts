import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { ensureCertificates } from "./emulators/common/tls";
import LongestFirstSequencer from "./test/sequencer";

const root = fileURLToPath(new URL(".", import.meta.url));

// Test workers talk HTTPS to the emulators; Node reads NODE_EXTRA_CA_CERTS only at process start, so the
// local CA must be in place before any worker is forked.
process.env.NODE_EXTRA_CA_CERTS = ensureCertificates(".data/certs").bundlePath;

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\/(.*)$/, replacement: `${root}$1` },
      { find: /^server-only$/, replacement: `${root}test/empty-module.ts` },
    ],
  },
  test: {
    // The longest integration files start first (test/sequencer.ts).
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["{lib,emulators,components,scripts,app}/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
          environment: "node",
          // A few unit tests build the emulators' large world or generate RSA keys: seconds of CPU on a
          // busy 2-core machine. A bound against hangs, not a timing check.
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["{lib,emulators,scripts,app,test}/**/*.int.test.ts"],
          exclude: ["node_modules/**"],
          environment: "node",
          globalSetup: ["test/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Integration files share one embedded PostgreSQL and one set of emulators; each file
          // gets its own database cloned from a migrated template (test/db.ts). Three at a time on two
          // cores: the files wait on PostgreSQL and the emulators much of the time (docs/PERFORMANCE.md,
          // "Test run time": 446 s with two, 334 s with three, the build beside both).
          fileParallelism: true,
          maxWorkers: 3,
        },
      },
    ],
  },
});
