// Every API route × every kind of caller: nobody (401), a signed-in person without a role (403), each
// role by session cookie and by API token (403 below the route's role, through above it). The table
// below is the reviewed contract: a new route fails this test until it is added here on purpose.
import { beforeAll, describe, expect, test } from "vitest";
import { hasRole, type TRequiredRole, type TRole } from "@/lib/auth/roles";
import { type RouteMeta } from "@/lib/http/route";
import { apiTokenFor, call, discoverApiRoutes, routePath, signedInUser } from "@/test/app";
import { integrationSuite } from "@/test/integration";

export const ROUTE_ROLES: Record<string, TRequiredRole> = {
  "GET /api/health": "public",
  "GET /api/ready": "public",
  "GET /api/metrics": "manager",
  "GET /api/openapi.json": "public",
  "GET /api/auth/login": "public",
  "GET /api/auth/callback": "public",
  "POST /api/auth/logout": "public",
  "POST /api/auth/sign-out-everywhere": "manager",
  "GET /api/auth/me": "manager",
  "GET /api/audit": "admin",
  "GET /api/tokens": "admin",
  "POST /api/tokens": "admin",
  "DELETE /api/tokens/[id]": "admin",
  "GET /api/azure-tenants": "analyst",
  "POST /api/azure-tenants": "admin",
  "GET /api/azure-tenants/[id]": "analyst",
  "PATCH /api/azure-tenants/[id]": "admin",
  "DELETE /api/azure-tenants/[id]": "admin",
  "POST /api/azure-tenants/[id]/test": "analyst",
  "POST /api/azure-tenants/[id]/sync": "analyst",
  "GET /api/recommendations": "manager",
  "GET /api/recommendations/[key]": "manager",
  "GET /api/recommendations/[key]/vulnerabilities": "manager",
  "GET /api/findings": "manager",
  "GET /api/findings/[id]": "manager",
  "GET /api/connections": "analyst",
  "POST /api/connections": "admin",
  "GET /api/connections/[id]": "analyst",
  "PATCH /api/connections/[id]": "admin",
  "DELETE /api/connections/[id]": "admin",
  "POST /api/connections/[id]/test": "analyst",
  "GET /api/connections/[id]/governance": "analyst",
  "POST /api/connections/[id]/sync": "analyst",
  "GET /api/connections/[id]/sync": "analyst",
  "GET /api/connections/[id]/groups": "analyst",
  "GET /api/connections/[id]/change-templates": "analyst",
  "GET /api/connections/[id]/users": "analyst",
  "GET /api/connections/[id]/schema": "analyst",
  "GET /api/tickets": "manager",
  "POST /api/tickets": "analyst",
  "POST /api/tickets/draft": "analyst",
  "GET /api/tickets/[id]": "manager",
  "GET /api/ticket-requests/[id]": "manager",
  "POST /api/tickets/[id]/links": "analyst",
  "DELETE /api/tickets/[id]/links/[findingId]": "analyst",
  "GET /api/sync-runs": "manager",
  "GET /api/sync-runs/[id]": "manager",
  "GET /api/sync-runs/[id]/events": "manager",
  "GET /api/sync-runs/[id]/events.csv": "manager",
  "POST /api/sync-runs/[id]/retry": "analyst",
  "GET /api/rules": "manager",
  "POST /api/rules": "admin",
  "PATCH /api/rules/[id]": "admin",
  "DELETE /api/rules/[id]": "admin",
  "POST /api/rules/[id]/dry-run": "admin",
  "POST /api/rules/dry-run": "admin",
  "POST /api/rules/reorder": "admin",
  "POST /api/webhooks/servicenow/[connectionId]": "public",
  "GET /api/compliance/summary": "manager",
  "GET /api/compliance/export.csv": "manager",
  "GET /api/compliance/standards/[standard]": "manager",
  "GET /api/compliance/standards/[standard]/controls/[control]": "manager",
  "GET /api/overview": "manager",
  "GET /api/tickets/[id]/journal": "manager",
  "POST /api/tickets/[id]/journal": "analyst",
  "GET /api/resources/[...id]": "manager",
  "GET /api/compliance/score-controls": "manager",
  "GET /api/compliance/cc": "manager",
  "GET /api/compliance/cc/tasks": "manager",
  "GET /api/saved-views": "manager",
  "POST /api/saved-views": "manager",
  "GET /api/saved-views/[id]": "manager",
  "PATCH /api/saved-views/[id]": "manager",
  "DELETE /api/saved-views/[id]": "manager",
};

type Caller = { label: string; role: TRole | null; cookie?: string; token?: string };

/** Routes that end the caller's session: the matrix signs the caller in again after calling them. */
const ENDS_SESSION = new Set(["POST /api/auth/logout", "POST /api/auth/sign-out-everywhere"]);

const suite = integrationSuite({ emulators: "none", timeoutMs: 60_000 });
let routes: Awaited<ReturnType<typeof discoverApiRoutes>>;
const callers: Caller[] = [];

beforeAll(async () => {
  routes = await discoverApiRoutes();
  for (const role of ["MANAGER", "ANALYST", "ADMIN"] as const) {
    callers.push({ label: `${role} session`, role, cookie: (await signedInUser(role)).cookie });
    callers.push({ label: `${role} API token`, role, token: await apiTokenFor(role) });
  }
  callers.push({ label: "signed in without a role", role: null, cookie: (await signedInUser(null)).cookie });
}, 60_000);
/** The pattern with a random id for each parameter. */
const fill = (pattern: string) => routePath(pattern, () => crypto.randomUUID());

describe("route × role matrix", () => {
  test("every route in app/api is in the table with the role its wrapper enforces, and the table has no stale rows", () => {
    const discovered = routes.flatMap((r) => r.methods.map((m) => `${m} ${r.pattern}`)).sort();
    expect(
      discovered.filter((k) => !(k in ROUTE_ROLES)),
      "routes missing from ROUTE_ROLES",
    ).toEqual([]);
    for (const r of routes) {
      for (const m of r.methods) {
        const meta = (r.module[m] as { meta?: RouteMeta }).meta;
        expect(meta, `${m} ${r.pattern} goes through the route() wrapper`).toBeDefined();
        expect(meta!.role, `${m} ${r.pattern}`).toBe(ROUTE_ROLES[`${m} ${r.pattern}`]);
      }
    }
    // Rows for routes that do not exist (yet) are allowed only while their feature is unbuilt; they
    // are listed so the reviewer sees them.
    const stale = Object.keys(ROUTE_ROLES).filter((k) => !discovered.includes(k));
    if (stale.length) console.info(`ROUTE_ROLES rows without a route yet: ${stale.join(", ")}`);
  });

  test("each caller gets 401 / 403 / through exactly as the table says", async () => {
    const failures: string[] = [];
    let calls = 0;
    for (const r of routes) {
      for (const method of r.methods) {
        const key = `${method} ${r.pattern}`;
        const required = ROUTE_ROLES[key];
        if (!required) continue;
        const handler = r.module[method] as Parameters<typeof call>[0];
        const { path, params } = fill(r.pattern);
        const body = ["POST", "PATCH", "PUT"].includes(method) ? {} : undefined;

        const anonymous = await call(handler, method, path, { params, body });
        calls++;
        if (required === "public") {
          if (anonymous.status >= 500) failures.push(`${key} anonymous → ${anonymous.status}`);
        } else if (anonymous.status !== 401) failures.push(`${key} anonymous → ${anonymous.status}, expected 401`);

        for (const caller of callers) {
          const res = await call(handler, method, path, { params, body, cookie: caller.cookie, token: caller.token });
          calls++;
          if (ENDS_SESSION.has(key) && caller.cookie) caller.cookie = (await signedInUser(caller.role)).cookie;
          const allowed = required === "public" || hasRole(caller.role, required);
          if (res.status >= 500) failures.push(`${key} ${caller.label} → ${res.status}`);
          else if (required === "public") continue;
          else if (allowed && (res.status === 401 || res.status === 403))
            failures.push(`${key} ${caller.label} → ${res.status}, expected to pass`);
          else if (!allowed && res.status !== 403) failures.push(`${key} ${caller.label} → ${res.status}, expected 403`);
          else if (allowed && method === "GET" && !r.pattern.includes("[") && (res.status < 200 || res.status > 299)) {
            failures.push(`${key} ${caller.label} → ${res.status}, expected 2xx for a list`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(50);
  }, 120_000);

  test("a revoked or expired API token is refused", async () => {
    const { db } = suite.database;
    const token = await apiTokenFor("ADMIN");
    const tokens = routes.find((r) => r.pattern === "/api/tokens")!;
    const list = tokens.module.GET as Parameters<typeof call>[0];
    expect((await call(list, "GET", "/api/tokens", { token })).status).toBe(200);
    const { sha256Hex } = await import("@/lib/crypto/secrets");
    await db.apiToken.update({ where: { tokenHash: sha256Hex(token) }, data: { revokedAt: new Date() } });
    expect((await call(list, "GET", "/api/tokens", { token })).status).toBe(401);
    const other = await apiTokenFor("ADMIN");
    await db.apiToken.update({ where: { tokenHash: sha256Hex(other) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await call(list, "GET", "/api/tokens", { token: other })).status).toBe(401);
    expect((await call(list, "GET", "/api/tokens", { token: "pd_not-a-real-token" })).status).toBe(401);
    expect((await call(list, "GET", "/api/tokens", { headers: { authorization: "Basic YWRtaW46YWRtaW4=" } })).status).toBe(401);
  });

  test("state-changing requests with a session cookie need the app's own Origin; bearer tokens do not", async () => {
    const tokens = routes.find((r) => r.pattern === "/api/tokens")!;
    const create = tokens.module.POST as Parameters<typeof call>[0];
    const admin = await signedInUser("ADMIN");
    const body = { name: "csrf-check", role: "MANAGER", expiresInDays: 1 };
    const before = await suite.database.db.apiToken.count();
    expect((await call(create, "POST", "/api/tokens", { cookie: admin.cookie, body, origin: "https://evil.example" })).status).toBe(403);
    expect((await call(create, "POST", "/api/tokens", { cookie: admin.cookie, body, origin: null })).status).toBe(403);
    expect(await suite.database.db.apiToken.count()).toBe(before);
    expect((await call(create, "POST", "/api/tokens", { cookie: admin.cookie, body })).status).toBe(201);
    const token = await apiTokenFor("ADMIN");
    expect((await call(create, "POST", "/api/tokens", { token, body, origin: null })).status).toBe(201);
  });
});
