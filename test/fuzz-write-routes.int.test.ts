// Property-based fuzzing of every state-changing route: thousands of malformed bodies (random JSON
// values, objects with the schema's keys holding wrong values, prototype-pollution keys, broken JSON
// text, oversized bodies) and malformed path ids, sent as an admin. Every answer must be a 4xx
// problem+json — never a 5xx — and the database must be exactly as it was.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type ZodType } from "zod";
import { type RouteMeta } from "@/lib/http/route";
import { useTestDatabase, type BoundTestDatabase } from "@/test/db";
import { call, configureTestEnv, discoverApiRoutes, signedInUser } from "@/test/app";

const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 300);

let database: BoundTestDatabase;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let writeRoutes: Array<{ key: string; method: string; pattern: string; handler: Parameters<typeof call>[0]; meta: RouteMeta }>;

/** A digest of every row of every table: rejected requests must leave it unchanged. */
async function fingerprint(): Promise<Record<string, string>> {
  const { rows: tables } = await database.pool.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY 1`,
  );
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    const { rows } = await database.pool.query<{ n: string; digest: string | null }>(
      `SELECT count(*)::text AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest FROM "${name}" t`,
    );
    out[name] = `${rows[0].n}:${rows[0].digest ?? ""}`;
  }
  return out;
}

function objectKeys(schema: ZodType | undefined): string[] {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

beforeAll(async () => {
  database = await useTestDatabase();
  configureTestEnv(database.url);
  admin = await signedInUser("ADMIN", "Fuzz Admin");
  const routes = await discoverApiRoutes();
  writeRoutes = routes.flatMap((r) =>
    r.methods
      .filter((m) => ["POST", "PATCH", "PUT", "DELETE"].includes(m))
      .map((method) => {
        const handler = r.module[method] as Parameters<typeof call>[0] & { meta?: RouteMeta };
        return { key: `${method} ${r.pattern}`, method, pattern: r.pattern, handler, meta: handler.meta! };
      })
      // Public routes authenticate themselves (webhook signatures, sign-out) and have their own tests.
      .filter((r) => r.meta && r.meta.role !== "public"),
  );
}, 60_000);
afterAll(() => database.drop());

function pathFor(pattern: string, id: string): { path: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const path = pattern.replace(/\[(\w+)\]/g, (_m, name: string) => {
    params[name] = id;
    return encodeURIComponent(id);
  });
  return { path, params };
}

describe("fuzzing state-changing routes", () => {
  test("malformed bodies only ever get a 4xx and change nothing", async () => {
    const before = await fingerprint();
    const failures: string[] = [];
    let cases = 0;
    for (const route of writeRoutes.filter((r) => r.meta.body)) {
      const keys = objectKeys(route.meta.body);
      const malformedJson = fc.oneof(
        fc.anything({ maxDepth: 3 }),
        fc.jsonValue({ maxDepth: 3 }),
        keys.length ? fc.dictionary(fc.constantFrom(...keys), fc.anything({ maxDepth: 2 }), { maxKeys: keys.length }) : fc.object(),
        keys.length
          ? fc.record(Object.fromEntries(keys.map((k) => [k, fc.oneof(fc.string({ maxLength: 5000 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string()))])))
          : fc.constant({ unexpected: true }),
        fc.constant(JSON.parse('{"__proto__": {"role": "ADMIN"}, "constructor": {"prototype": {"isAdmin": true}}}')),
      ).filter((value) => !route.meta.body!.safeParse(value).success);
      const { path, params } = pathFor(route.pattern, crypto.randomUUID());
      await fc.assert(
        fc.asyncProperty(malformedJson, async (value) => {
          cases++;
          const res = await call(route.handler, route.method, path, { params, cookie: admin.cookie, rawBody: JSON.stringify(value) ?? "null" });
          const ok = res.status >= 400 && res.status < 500 && (res.headers.get("content-type") ?? "").includes("problem+json");
          if (!ok) failures.push(`${route.key} ${JSON.stringify(value)?.slice(0, 200)} → ${res.status}`);
          return true;
        }),
        { numRuns: RUNS_PER_ROUTE, seed: 20261130 },
      );
      // Text that is not JSON at all, or JSON cut short.
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom('{"name":', "{'a':1}", "[1,2", "\u0000", "{\"a\":1}}", "NaN", "undefined")), async (text) => {
          let isJson = true;
          try {
            route.meta.body!.parse(JSON.parse(text));
          } catch {
            isJson = false;
          }
          if (isJson) return true; // a valid body by chance: not a malformed case
          cases++;
          const res = await call(route.handler, route.method, path, { params, cookie: admin.cookie, rawBody: text });
          if (res.status < 400 || res.status >= 500) failures.push(`${route.key} raw ${JSON.stringify(text).slice(0, 100)} → ${res.status}`);
          return true;
        }),
        { numRuns: Math.ceil(RUNS_PER_ROUTE / 3), seed: 11 },
      );
      const big = await call(route.handler, route.method, path, { params, cookie: admin.cookie, rawBody: JSON.stringify({ blob: "x".repeat(2 * 1024 * 1024) }) });
      cases++;
      if (big.status !== 413) failures.push(`${route.key} 2 MB body → ${big.status}, expected 413`);
      const wrongType = await call(route.handler, route.method, path, { params, cookie: admin.cookie, rawBody: "a=1", headers: { "content-type": "application/x-www-form-urlencoded" } });
      cases++;
      if (wrongType.status !== 415) failures.push(`${route.key} form body → ${wrongType.status}, expected 415`);
    }
    for (const route of writeRoutes.filter((r) => r.pattern.includes("["))) {
      await fc.assert(
        fc.asyncProperty(fc.string({ minLength: 1, maxLength: 80 }).filter((s) => !/^[0-9a-f-]{36}$/i.test(s)), async (id) => {
          cases++;
          const { path, params } = pathFor(route.pattern, id);
          const res = await call(route.handler, route.method, path, { params, cookie: admin.cookie, body: route.meta.body ? {} : undefined });
          if (res.status < 400 || res.status >= 500) failures.push(`${route.key} id ${JSON.stringify(id)} → ${res.status}`);
          return true;
        }),
        { numRuns: 60, seed: 7 },
      );
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect(cases).toBeGreaterThan(writeRoutes.length * 50);
    console.info(`fuzzed ${writeRoutes.length} write routes with ${cases} malformed requests`);
    expect(await fingerprint()).toEqual(before);
  }, 600_000);
});
