import { createServer } from "node:net";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";

/** A loopback port with nothing listening. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe("isDatabaseUnavailable", () => {
  it("recognises node-postgres failing to connect", async () => {
    const client = new pg.Client({ host: "127.0.0.1", port: await closedPort(), user: "x", database: "x", connectionTimeoutMillis: 2000 });
    const error = await client.connect().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeTruthy();
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it("recognises Prisma's P1001 and an adapter error wrapped as a cause", () => {
    // The shape Prisma 7 logs when the server is down (seen in bench/drills db-restart logs).
    const prisma = Object.assign(new Error("Can't reach database server at 127.0.0.1:42331"), {
      name: "PrismaClientKnownRequestError",
      code: "P1001",
    });
    expect(isDatabaseUnavailable(prisma)).toBe(true);
    const wrapped = new Error("sync failed", {
      cause: Object.assign(new Error("driver"), { name: "DriverAdapterError", kind: "DatabaseNotReachable" }),
    });
    expect(isDatabaseUnavailable(wrapped)).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }))).toBe(
      true,
    );
  });

  it("leaves bugs and constraint errors alone", () => {
    expect(isDatabaseUnavailable(Object.assign(new Error("unique"), { name: "PrismaClientKnownRequestError", code: "P2002" }))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error("syntax error at or near"), { code: "42601" }))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError("x is undefined"))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    const loop: { message: string; cause?: unknown } = { message: "loop" };
    loop.cause = loop;
    expect(isDatabaseUnavailable(loop)).toBe(false);
  });
});
