import { afterEach, describe, expect, test, vi } from "vitest";

afterEach(async () => {
  const { closeDb } = await import("@/lib/db");
  await closeDb();
  vi.unstubAllEnvs();
  vi.resetModules();
  delete (globalThis as { __posturedeskDb?: unknown }).__posturedeskDb;
});

describe("lib/db", () => {
  test("importing the module reads no configuration and connects nowhere", async () => {
    vi.stubEnv("DATABASE_URL", "");
    const dbModule = await import("@/lib/db");
    expect(typeof dbModule.db).toBe("function");
  });

  test("db() names DATABASE_URL when configuration is missing", async () => {
    vi.stubEnv("DATABASE_URL", "");
    const { resetEnvCache } = await import("@/lib/env");
    resetEnvCache();
    const { db } = await import("@/lib/db");
    expect(() => db()).toThrow(/DATABASE_URL/);
  });

  test("db() and pool() return one client and one pool per process", async () => {
    const { configureDb, db, pool } = await import("@/lib/db");
    // Nothing listens on port 1: creating the handles must not try to connect.
    configureDb({ url: "postgresql://user:pw@127.0.0.1:1/none", poolMax: 3 });
    expect(db()).toBe(db());
    expect(pool()).toBe(pool());
    expect(pool().options.max).toBe(3);
  });

  test("configureDb() refuses to switch databases under open handles", async () => {
    const { closeDb, configureDb, db } = await import("@/lib/db");
    configureDb({ url: "postgresql://user:pw@127.0.0.1:1/a" });
    db();
    expect(() => configureDb({ url: "postgresql://user:pw@127.0.0.1:1/b" })).toThrow(/closeDb/);
    await closeDb();
    expect(() => configureDb({ url: "postgresql://user:pw@127.0.0.1:1/b" })).not.toThrow();
  });

  test("handles survive a module reload (Next dev hot reload)", async () => {
    const first = await import("@/lib/db");
    first.configureDb({ url: "postgresql://user:pw@127.0.0.1:1/a" });
    const client = first.db();
    vi.resetModules();
    const second = await import("@/lib/db");
    expect(second).not.toBe(first);
    expect(second.db()).toBe(client);
  });
});
