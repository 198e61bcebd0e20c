// `npm run admin -- create-token` prints a working API token (bootstrapping automation from a shell).
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";
import { GET as me } from "@/app/api/auth/me/route";
import { useTestDatabase, type BoundTestDatabase } from "@/test/db";
import { call, configureTestEnv, signedInUser, TEST_ENCRYPTION_KEY, TEST_SESSION_SECRET } from "@/test/app";

const run = promisify(execFile);
const root = path.resolve(__dirname, "..");
let database: BoundTestDatabase;

beforeAll(async () => {
  database = await useTestDatabase();
  configureTestEnv(database.url);
});
afterAll(() => database.drop());

function admin(args: string[]) {
  return run(
    process.execPath,
    [path.join(root, "node_modules/tsx/dist/cli.mjs"), "--conditions=react-server", "scripts/admin.ts", ...args],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        SESSION_SECRET: TEST_SESSION_SECRET,
        ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
        LOG_LEVEL: "silent",
      },
    },
  );
}

test("create-token prints a token that authenticates with its role, and is audited", async () => {
  const owner = await signedInUser("ANALYST", "Cli Owner");
  const { stdout, stderr } = await admin([
    "create-token",
    "--role",
    "analyst",
    "--owner",
    owner.email,
    "--name",
    "ci-pipeline",
    "--days",
    "7",
  ]);
  const token = stdout.trim();
  expect(token).toMatch(/^pd_[A-Za-z0-9_-]{40,}$/);
  expect(stderr).toContain('Created API token "ci-pipeline" (ANALYST');
  const res = await call(me, "GET", "/api/auth/me", { token });
  expect(await res.json()).toMatchObject({ type: "token", role: "ANALYST" });
  const row = await database.db.apiToken.findFirstOrThrow({ where: { name: "ci-pipeline" } });
  expect(row.tokenHash).not.toContain(token);
  expect(row.createdById).toBe(owner.id);
  expect(await database.db.auditLog.count({ where: { action: "token.create", targetId: row.id } })).toBe(1);
}, 60_000);

test("create-token refuses a token without an owner, or with more rights than its owner", async () => {
  await expect(admin(["create-token", "--role", "analyst"])).rejects.toMatchObject({
    code: 1,
    stderr: expect.stringContaining("--owner must name the person"),
  });
  const manager = await signedInUser("MANAGER", "Cli Manager");
  await expect(admin(["create-token", "--role", "admin", "--owner", manager.email, "--name", "too-much"])).rejects.toMatchObject({
    code: 1,
    stderr: expect.stringContaining("cannot have more rights than its owner"),
  });
  expect(await database.db.apiToken.count({ where: { name: "too-much" } })).toBe(0);
}, 60_000);

test("a bad role is refused with a usage message and creates nothing", async () => {
  await expect(admin(["create-token", "--role", "superuser"])).rejects.toMatchObject({
    code: 1,
    stderr: expect.stringContaining("--role must be admin, analyst or manager"),
  });
  expect(await database.db.apiToken.count({ where: { name: { startsWith: "cli-superuser" } } })).toBe(0);
}, 60_000);
