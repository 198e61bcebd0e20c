// Setup for bench/tickets.ts: a throwaway embedded PostgreSQL (migrated), the emulators (seed 42,
// size demo: ~1,700 unhealthy findings), the app's configuration pointing at both, findings read from
// the ARM emulator, a ServiceNow connection and an analyst API token.
import { NextRequest } from "next/server";
import { startBenchWorld, benchApiToken } from "./bench-env";

export type BenchEnv = Awaited<ReturnType<typeof setUp>>;

export async function setUp(options: { size: "small" | "demo" | "large" }) {
  const bench = await startBenchWorld(options.size);
  const { manifest: m, control } = bench;
  // Imported after the environment is set: these modules read it on first use.
  const { seedFindingsFromEmulator, emulatorConnection } = await import("@/lib/tickets/testing");
  const { closeDb } = await import("@/lib/db");
  const world = await seedFindingsFromEmulator(m);
  const connection = await emulatorConnection(m, { defaultAssignmentGroup: "Cloud Security Operations" });
  const token = await benchApiToken("ANALYST", "bench");

  return {
    manifest: m,
    world,
    connection,
    token,
    control,
    async tearDown() {
      await closeDb();
      await bench.stop();
    },
  };
}

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** One API call through the route handler (auth, zod, service), as Next would make it, with the bearer token. */
export async function apiCall(
  handler: Handler,
  token: string,
  method: string,
  pathname: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const req = new NextRequest(new URL(pathname, "http://localhost:3000"), {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const res = await handler(req, { params: Promise.resolve({}) });
  return { status: res.status, json: await res.json() };
}
