import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// Boundaries (docs/ARCHITECTURE.md, "Boundaries" gives the reason for each). ESLint applies the LAST
// matching config object's options for a rule, so every file group below gets exactly one
// `@typescript-eslint/no-restricted-imports` setting; tests and scripts come last and lift them, and the
// very last puts NO_APP_OR_UI back for lib/'s own tests and test support.

/** Tests, test support and tools: may import anything (routes, emulators, the database) — except in lib/ (below). */
const TESTS_AND_TOOLS = [
  "**/*.test.ts",
  "**/*.test.tsx",
  "test/**",
  "e2e/**",
  "bench/**",
  "scripts/**",
  "lib/**/testing.ts",
  "lib/**/testing/**",
  "emulators/common/testing.ts",
];

/** lib/'s tests and test support: they may import the emulators and the database, never app/ or components/. */
const LIB_TESTS = ["lib/**/*.test.ts", "lib/**/*.test.tsx", "lib/**/testing.ts", "lib/**/testing/**"];

const NO_APP_OR_UI = {
  regex: "^(@/|(\\.\\./)+)(app|components)/",
  message: "lib/ is the server and shared core: it never imports app/ (routes, pages) or components/ (UI).",
};
const NO_EMULATORS = {
  regex: "^(@/|(\\.\\./)+)emulators/",
  message: "The product never imports the emulators: only startup (scripts/, lib/demo/) and tests do.",
};
/**
 * What the browser bundle may import from lib/: zod schemas (lib/schemas, lib/sync/schemas), React Query
 * hooks and fetchers (lib/queries), formatting (lib/format), role names and the page-role table (lib/auth/roles,
 * lib/auth/page-access), the cloud table (lib/azure/clouds). Everything else in lib/ is server code.
 */
const SERVER_ONLY_FOR_UI = {
  regex: "^(@/|(\\.\\./)+)lib/(?!(schemas|queries|format)/|auth/roles$|auth/page-access$|azure/clouds$|sync/schemas$)",
  allowTypeImports: true,
  message:
    "components/ runs in the browser: import only browser-safe modules (lib/schemas, lib/queries, lib/format, lib/auth/roles, lib/auth/page-access, lib/azure/clouds, lib/sync/schemas); server data comes through app/ pages or the API. Type-only imports are fine.",
};
const NO_SERVER_PACKAGES = {
  group: ["@prisma/*", "pg", "pg-boss", "@/lib/generated/*", "@/lib/db", "@/lib/db/*", "node:*"],
  allowTypeImports: true,
  message: "components/ runs in the browser: no database client, Prisma, pg-boss or Node built-ins.",
};
const NO_LIB = {
  regex: "^(@/|(\\.\\./)+)(lib|app|components)/",
  message:
    "The emulators are a separate program standing in for Microsoft and ServiceNow: they never import the product (copy a constant with a note instead).",
};

// Raw SQL lives in files named for it (*-sql.ts) or under lib/db/, so a reader sees where the database
// is touched and a schema change has a short list of files to read.
const SQL_TEXT = String.raw`/\b(SELECT|UPDATE|INSERT INTO|DELETE FROM|WITH [a-z_]+ AS)\s/`;
const RAW_SQL = [
  {
    selector: "CallExpression[callee.property.name='query'][callee.object.type='CallExpression'][callee.object.callee.name='pool']",
    message: "Raw SQL (pool().query) lives in a *-sql.ts module or under lib/db/ (docs/ARCHITECTURE.md, Boundaries).",
  },
  {
    selector:
      "CallExpression[callee.property.name='query']:not([callee.object.property.name='resourceGraph'])[arguments.0.type=/^(Literal|TemplateLiteral)$/]",
    message: 'Raw SQL (<client>.query("…")) lives in a *-sql.ts module or under lib/db/ (docs/ARCHITECTURE.md, Boundaries).',
  },
  {
    selector:
      "TaggedTemplateExpression[tag.property.name=/^\\$(queryRaw|executeRaw)/], CallExpression[callee.property.name=/^\\$(queryRaw|executeRaw)/]",
    message: "Raw SQL ($queryRaw/$executeRaw) lives in a *-sql.ts module or under lib/db/ (docs/ARCHITECTURE.md, Boundaries).",
  },
  {
    // SQL text itself, wherever it goes (a constant passed to .query by name, a fragment of a WHERE): a string
    // or template piece with an upper-case statement keyword. Prose in comments is not a string, so it is not seen.
    selector: `TemplateElement[value.raw=${SQL_TEXT}], Literal[value=${SQL_TEXT}]`,
    message: "SQL text lives in a *-sql.ts module or under lib/db/ (docs/ARCHITECTURE.md, Boundaries).",
  },
];

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: ["node_modules/**", ".next/**", ".data/**", "lib/generated/**", "test-results/**", "playwright-report/**", "next-env.d.ts"],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    files: ["lib/**/*.{ts,tsx}"],
    rules: { "@typescript-eslint/no-restricted-imports": ["error", { patterns: [NO_APP_OR_UI, NO_EMULATORS] }] },
  },
  {
    // Demo startup seeds the bundled emulators (npm start without a real tenant).
    files: ["lib/demo/**/*.{ts,tsx}"],
    rules: { "@typescript-eslint/no-restricted-imports": ["error", { patterns: [NO_APP_OR_UI] }] },
  },
  {
    files: ["app/**/*.{ts,tsx}", "proxy.ts", "instrumentation.ts"],
    rules: { "@typescript-eslint/no-restricted-imports": ["error", { patterns: [NO_EMULATORS] }] },
  },
  {
    files: ["components/**/*.{ts,tsx}"],
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", { patterns: [SERVER_ONLY_FOR_UI, NO_SERVER_PACKAGES, NO_EMULATORS] }],
    },
  },
  {
    files: ["emulators/**/*.{ts,tsx}"],
    rules: { "@typescript-eslint/no-restricted-imports": ["error", { patterns: [NO_LIB] }] },
  },
  {
    files: ["lib/**/*.{ts,tsx}", "app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "proxy.ts", "instrumentation.ts"],
    ignores: [
      "**/*-sql.ts",
      "lib/db/**",
      "lib/db.ts", // the pool, the Prisma client and the transaction helper (BEGIN/COMMIT/ROLLBACK)
    ],
    rules: { "no-restricted-syntax": ["error", ...RAW_SQL] },
  },
  {
    files: TESTS_AND_TOOLS,
    rules: { "@typescript-eslint/no-restricted-imports": "off", "no-restricted-syntax": "off" },
  },
  {
    // Last, so it wins over TESTS_AND_TOOLS: a test that calls routes lives in test/routes/.
    files: LIB_TESTS,
    rules: { "@typescript-eslint/no-restricted-imports": ["error", { patterns: [NO_APP_OR_UI] }] },
  },
];

export default config;
