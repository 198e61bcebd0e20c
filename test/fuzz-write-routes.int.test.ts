// Property-based fuzzing of every route: thousands of malformed bodies for the state-changing ones
// (random JSON values, objects with the schema's keys holding wrong values, prototype-pollution keys,
// broken JSON text, oversized bodies, NUL characters, lone surrogates and bytes that are not UTF-8) and
// malformed path ids, sent as an admin; and malformed query strings for the read routes (every
// declared parameter with NUL, lone surrogates, overlong UTF-8 and random text). Every answer must be
// a 4xx problem+json — never a 5xx — text PostgreSQL cannot store must be refused naming the
// parameter, and the database must be exactly as it was. At least 5,000 malformed requests in all.
import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import { type ZodType } from "zod";
import { type RouteMeta } from "@/lib/http/route";
import { call, discoverApiRoutes, routePath, signedInUser } from "@/test/app";
import { integrationSuite } from "@/test/integration";

const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 300);
/** Each half (write, read) sends at least this many malformed requests at the default FUZZ_RUNS: ≥ 5,000 together. */
const MIN_CASES_EACH = Math.round(2500 * Math.min(1, RUNS_PER_ROUTE / 300));

const suite = integrationSuite({ emulators: "none" });
let admin: Awaited<ReturnType<typeof signedInUser>>;
let writeRoutes: Array<{ key: string; method: string; pattern: string; handler: Parameters<typeof call>[0]; meta: RouteMeta }>;
let readRoutes: typeof writeRoutes;
let totalCases = 0;

/** Text PostgreSQL cannot store, as JSON escapes (NUL, lone surrogates) inside a JSON string ... */
const UNSTORABLE_STRINGS = [
  String.raw`a\u0000b`,
  String.raw`\u0000`,
  String.raw`x\ud800`,
  String.raw`\udfffy`,
  String.raw`\ud800\ud800`,
  `${"n".repeat(100)}${String.raw`\u0000`}`,
];
/** ... and percent-encoded in a query string (NUL, encoded surrogate, overlong forms, stray bytes). */
const UNSTORABLE_QUERY = [
  "a%00b",
  "%00",
  "%ED%A0%80",
  "%C0%80",
  "%C0%AE%C0%AE%2F",
  "%E0%80%AF",
  "%FF",
  "%F8%88%80%80%80",
  "abc%C3",
  "%F4%90%80%80",
];

function isProblem(res: Response): boolean {
  return res.status >= 400 && res.status < 500 && (res.headers.get("content-type") ?? "").includes("problem+json");
}

/**
 * A digest of every row of every table: rejected requests must leave it unchanged. UserSession is left
 * out: the admin's session records its activity (lastSeenAt, once a minute), which is not data.
 */
async function fingerprint(): Promise<Record<string, string>> {
  const { rows: tables } = await suite.database.pool.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('_prisma_migrations', 'UserSession') ORDER BY 1`,
  );
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    const { rows } = await suite.database.pool.query<{ n: string; digest: string | null }>(
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
  readRoutes = routes.flatMap((r) =>
    r.methods
      .filter((m) => m === "GET")
      .map((method) => {
        const handler = r.module[method] as Parameters<typeof call>[0] & { meta?: RouteMeta };
        return { key: `${method} ${r.pattern}`, method, pattern: r.pattern, handler, meta: handler.meta! };
      })
      // The sign-in routes redirect to Entra ID; their parameters are covered by their own tests.
      .filter((r) => r.meta && !r.pattern.startsWith("/api/auth/login") && !r.pattern.startsWith("/api/auth/callback")),
  );
}, 60_000);
const pathFor = (pattern: string, id: string) => routePath(pattern, () => id);

describe("fuzzing state-changing routes", () => {
  test("malformed bodies only ever get a 4xx and change nothing", async () => {
    const before = await fingerprint();
    const failures: string[] = [];
    let cases = 0;
    for (const route of writeRoutes.filter((r) => r.meta.body)) {
      const keys = objectKeys(route.meta.body);
      const malformedJson = fc
        .oneof(
          fc.anything({ maxDepth: 3 }),
          fc.jsonValue({ maxDepth: 3 }),
          keys.length ? fc.dictionary(fc.constantFrom(...keys), fc.anything({ maxDepth: 2 }), { maxKeys: keys.length }) : fc.object(),
          keys.length
            ? fc.record(
                Object.fromEntries(
                  keys.map((k) => [
                    k,
                    fc.oneof(
                      fc.string({ maxLength: 5000 }),
                      fc.integer(),
                      fc.double(),
                      fc.boolean(),
                      fc.constant(null),
                      fc.array(fc.string()),
                    ),
                  ]),
                ),
              )
            : fc.constant({ unexpected: true }),
          fc.constant(JSON.parse('{"__proto__": {"role": "ADMIN"}, "constructor": {"prototype": {"isAdmin": true}}}')),
        )
        .filter((value) => !route.meta.body!.safeParse(value).success);
      const { path, params } = pathFor(route.pattern, crypto.randomUUID());
      await fc.assert(
        fc.asyncProperty(malformedJson, async (value) => {
          cases++;
          const res = await call(route.handler, route.method, path, {
            params,
            cookie: admin.cookie,
            rawBody: JSON.stringify(value) ?? "null",
          });
          const ok = res.status >= 400 && res.status < 500 && (res.headers.get("content-type") ?? "").includes("problem+json");
          if (!ok) failures.push(`${route.key} ${JSON.stringify(value)?.slice(0, 200)} → ${res.status}`);
          return true;
        }),
        { numRuns: RUNS_PER_ROUTE, seed: 20261130 },
      );
      // Text that is not JSON at all, or JSON cut short.
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom('{"name":', "{'a':1}", "[1,2", "\u0000", '{"a":1}}', "NaN", "undefined")),
          async (text) => {
            let isJson = true;
            try {
              route.meta.body!.parse(JSON.parse(text));
            } catch {
              isJson = false;
            }
            if (isJson) return true; // a valid body by chance: not a malformed case
            cases++;
            const res = await call(route.handler, route.method, path, { params, cookie: admin.cookie, rawBody: text });
            if (res.status < 400 || res.status >= 500)
              failures.push(`${route.key} raw ${JSON.stringify(text).slice(0, 100)} → ${res.status}`);
            return true;
          },
        ),
        { numRuns: Math.ceil(RUNS_PER_ROUTE / 3), seed: 11 },
      );
      const big = await call(route.handler, route.method, path, {
        params,
        cookie: admin.cookie,
        rawBody: JSON.stringify({ blob: "x".repeat(2 * 1024 * 1024) }),
      });
      cases++;
      if (big.status !== 413) failures.push(`${route.key} 2 MB body → ${big.status}, expected 413`);
      const wrongType = await call(route.handler, route.method, path, {
        params,
        cookie: admin.cookie,
        rawBody: "a=1",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      cases++;
      if (wrongType.status !== 415) failures.push(`${route.key} form body → ${wrongType.status}, expected 415`);
    }
    for (const route of writeRoutes.filter((r) => r.pattern.includes("["))) {
      await fc.assert(
        fc.asyncProperty(
          fc.string({ minLength: 1, maxLength: 80 }).filter((s) => !/^[0-9a-f-]{36}$/i.test(s)),
          async (id) => {
            cases++;
            const { path, params } = pathFor(route.pattern, id);
            const res = await call(route.handler, route.method, path, {
              params,
              cookie: admin.cookie,
              body: route.meta.body ? {} : undefined,
            });
            if (res.status < 400 || res.status >= 500) failures.push(`${route.key} id ${JSON.stringify(id)} → ${res.status}`);
            return true;
          },
        ),
        { numRuns: 60, seed: 7 },
      );
    }
    // Strings PostgreSQL cannot store, in every key of every body: refused (422) naming the field.
    for (const route of writeRoutes.filter((r) => r.meta.body)) {
      const keys = objectKeys(route.meta.body);
      const { path, params } = pathFor(route.pattern, crypto.randomUUID());
      for (const key of keys.length ? keys : ["name"]) {
        for (const bad of UNSTORABLE_STRINGS) {
          cases++;
          const res = await call(route.handler, route.method, path, {
            params,
            cookie: admin.cookie,
            rawBody: `{${JSON.stringify(key)}:"${bad}"}`,
          });
          const detail = isProblem(res) ? String(((await res.json()) as { detail?: string }).detail) : "";
          if (res.status !== 422 || !detail.includes(`body.${key}`)) failures.push(`${route.key} ${key}=${bad} → ${res.status} ${detail}`);
        }
      }
      // Bytes that are not UTF-8 (overlong "/", encoded surrogate, stray continuation byte).
      for (const bytes of [[0xc0, 0xaf], [0xed, 0xa0, 0x80], [0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]]) {
        cases++;
        const raw = Buffer.concat([Buffer.from('{"name":"'), Buffer.from(bytes), Buffer.from('"}')]);
        const res = await call(route.handler, route.method, path, { params, cookie: admin.cookie, rawBody: new Uint8Array(raw) });
        if (res.status !== 400) failures.push(`${route.key} invalid UTF-8 ${Buffer.from(bytes).toString("hex")} → ${res.status}`);
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect(cases).toBeGreaterThan(writeRoutes.length * 50);
    totalCases += cases;
    console.info(`fuzzed ${writeRoutes.length} write routes with ${cases} malformed requests`);
    const after = await fingerprint();
    expect(Object.keys(after).filter((t) => after[t] !== before[t])).toEqual([]);
    expect(cases).toBeGreaterThanOrEqual(MIN_CASES_EACH);
  }, 600_000);
});

describe("fuzzing read routes", () => {
  test("malformed query strings only ever get a 2xx or 4xx; unstorable text is refused naming the parameter", async () => {
    const before = await fingerprint();
    const failures: string[] = [];
    let cases = 0;
    for (const route of readRoutes) {
      const keys = [...new Set([...objectKeys(route.meta.query), "q"])];
      const { path, params } = pathFor(route.pattern, crypto.randomUUID());
      const caller = route.meta.role === "public" ? {} : { cookie: admin.cookie };
      // Every declared parameter with every kind of text PostgreSQL cannot store: 422 naming it.
      for (const key of keys) {
        for (const bad of UNSTORABLE_QUERY) {
          cases++;
          const res = await call(route.handler, "GET", `${path}?${encodeURIComponent(key)}=${bad}`, { params, ...caller });
          const detail = isProblem(res) ? String(((await res.json()) as { detail?: string }).detail) : "";
          if (res.status !== 422 || !detail.includes(`query.${key}`))
            failures.push(`${route.key} ${key}=${bad} → ${res.status} ${detail.slice(0, 120)}`);
        }
      }
      // Random values (any Unicode, long, odd numbers, arrays) for the declared parameters: never a 5xx.
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(
            fc.constantFrom(...keys),
            fc.oneof(
              fc.string({ unit: "binary", maxLength: 300 }),
              fc.string({ maxLength: 3000 }),
              fc.constantFrom(
                "-1",
                "0",
                "1e309",
                "NaN",
                "99999999999999999999",
                "[]",
                "{}",
                "null",
                "true",
                "desc;DROP TABLE",
                "%",
                "%%",
                "%zz",
              ),
              fc.array(fc.string({ maxLength: 20 }), { maxLength: 4 }),
            ),
            { minKeys: 1, maxKeys: Math.min(4, keys.length) },
          ),
          async (query) => {
            cases++;
            const res = await call(route.handler, "GET", path, { params, ...caller, query: query as Record<string, string | string[]> });
            if (res.status >= 500) failures.push(`${route.key} ${JSON.stringify(query).slice(0, 200)} → ${res.status}`);
            return true;
          },
        ),
        { numRuns: Math.ceil(RUNS_PER_ROUTE / 3), seed: 20261207 },
      );
      // Unstorable path ids.
      if (route.pattern.includes("[")) {
        for (const bad of ["a\u0000b", "x\ud800"]) {
          cases++;
          // As Next hands them over: decoded into the params (the URL itself carries an escape).
          const p = pathFor(route.pattern, "%00");
          const res = await call(route.handler, "GET", p.path, {
            params: Object.fromEntries(Object.keys(p.params).map((k) => [k, bad])),
            ...caller,
          });
          if (!isProblem(res)) failures.push(`${route.key} path ${JSON.stringify(bad)} → ${res.status}`);
        }
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
    totalCases += cases;
    console.info(`fuzzed ${readRoutes.length} read routes with ${cases} malformed requests; ${totalCases} malformed requests in all`);
    const after = await fingerprint();
    expect(Object.keys(after).filter((t) => after[t] !== before[t])).toEqual([]);
    // With the write routes' share at least 5,000 malformed requests per run.
    expect(cases).toBeGreaterThanOrEqual(MIN_CASES_EACH);
  }, 600_000);
});
