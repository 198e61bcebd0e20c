// Calling the app's route handlers directly from integration tests: the same wrapper, auth, zod
// parsing and services as in production, against the test file's own database and the emulators,
// without starting a Next server.
import { appendFileSync, mkdirSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { expect, inject } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { resetLogger } from "@/lib/log";
import { type TRole } from "@/lib/auth/roles";
import { AppError } from "@/lib/http/errors";
import { type TProblem } from "@/lib/http/problem";

import { TEST_APP_URL, TEST_ENCRYPTION_KEY, TEST_SESSION_SECRET } from "@/test/constants";

export { TEST_APP_URL, TEST_ENCRYPTION_KEY, TEST_SESSION_SECRET };

/** Sets the configuration the app reads (lib/env.ts) for this test process. */
export function configureTestEnv(databaseUrl: string, overrides: Record<string, string> = {}): void {
  const emulators = inject("emulators");
  Object.assign(process.env, {
    NODE_ENV: "test",
    DATABASE_URL: databaseUrl,
    APP_URL: TEST_APP_URL,
    SESSION_SECRET: TEST_SESSION_SECRET,
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    ENTRA_AUTHORITY: emulators.entra.authority,
    ENTRA_CLIENT_ID: emulators.entra.dashboardApp.clientId,
    ENTRA_CLIENT_SECRET: emulators.entra.dashboardApp.clientSecret,
    ALLOW_PRIVATE_NETWORK: "true",
    WORKER_IN_PROCESS: "false",
    // Under `npm test` every log line goes to a file that the final secret scan reads.
    ...(LOG_DIR
      ? { LOG_LEVEL: "debug", LOG_FILE: path.join(LOG_DIR, `integration-${process.pid}.log`) }
      : { LOG_LEVEL: process.env.LOG_LEVEL ?? "silent" }),
    ...overrides,
  });
  resetEnvCache();
  resetLogger();
}

/** Set by scripts/test.ts: where logs and API responses of the run are collected for the secret scan. */
const LOG_DIR = process.env.POSTUREDESK_TEST_LOG_DIR;

async function recordResponse(method: string, url: URL, res: Response): Promise<void> {
  if (!LOG_DIR) return;
  mkdirSync(LOG_DIR, { recursive: true });
  const body = await res.clone().text();
  appendFileSync(path.join(LOG_DIR, `responses-${process.pid}.log`), `${method} ${url.pathname}${url.search} ${res.status}\n${body}\n`);
}

export type TestUser = { id: string; name: string; email: string; role: TRole | null };

/** A person as if they had signed in: a User row and a sealed session cookie. */
export async function signedInUser(role: TRole | null, name = `Test ${role ?? "norole"}`): Promise<TestUser & { cookie: string }> {
  const { db } = await import("@/lib/db");
  const oid = crypto.randomUUID();
  const email = `${name.toLowerCase().replace(/\s+/g, ".")}.${oid.slice(0, 6)}@contoso.example`;
  const user = await db().user.create({ data: { oid, tenantId: "test-tenant", name, email, role } });
  // A real server-side session record, as the sign-in callback opens it.
  const { openSession } = await import("@/lib/auth/sign-in");
  const sealed = await openSession(user, { oid, tid: "test-tenant" });
  return { id: user.id, name, email, role, cookie: `pd_session=${sealed.value}` };
}

/** A session cookie for each role, for a file whose tests call routes as different people. */
export async function roleCookies(): Promise<{ admin: string; analyst: string; manager: string }> {
  const admin = (await signedInUser("ADMIN")).cookie;
  const analyst = (await signedInUser("ANALYST")).cookie;
  const manager = (await signedInUser("MANAGER")).cookie;
  return { admin, analyst, manager };
}

/** An API token with the given role, owned by a person holding that role (through the product's own service). */
export async function apiTokenFor(role: TRole, ownerId?: string): Promise<string> {
  const { createApiToken } = await import("@/lib/tokens/tokens");
  const owner = ownerId ?? (await signedInUser(role, `Token owner ${role}`)).id;
  const { token } = await createApiToken(
    { type: "system", id: null, name: "test" },
    { name: `test-${role}`, role, expiresInDays: 1 },
    { ownerId: owner },
  );
  return token;
}

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

export type CallOptions = {
  params?: Record<string, string>;
  query?: Record<string, string | string[]>;
  body?: unknown;
  /** Raw body (sent as is, e.g. malformed JSON, or bytes that are not valid UTF-8). */
  rawBody?: string | Uint8Array<ArrayBuffer>;
  cookie?: string;
  token?: string;
  headers?: Record<string, string>;
  /** Origin header for state-changing requests (defaults to the app's own origin). */
  origin?: string | null;
};

/** Calls an exported route handler (GET, POST, …) like Next would. */
export async function call(handler: Handler, method: string, pathname: string, options: CallOptions = {}): Promise<Response> {
  const url = new URL(pathname, TEST_APP_URL);
  for (const [key, value] of Object.entries(options.query ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, v);
  }
  const headers = new Headers(options.headers);
  if (options.cookie) headers.set("cookie", options.cookie);
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  const isStateChanging = !["GET", "HEAD"].includes(method);
  if (isStateChanging && options.origin !== null) headers.set("origin", options.origin ?? TEST_APP_URL);
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
  const req = new NextRequest(url, { method, headers, body });
  const res = await handler(req, { params: Promise.resolve(options.params ?? {}) });
  await recordResponse(method, url, res);
  return res;
}

type WithProblem<T> = T & Partial<Pick<TProblem, "detail" | "errors">>;

/** `call`, with the answer read once: its status, its text (to check what it must not contain) and its JSON (an error's problem fields too). */
export async function callJson<T>(
  handler: Handler,
  method: string,
  pathname: string,
  options: CallOptions = {},
): Promise<{ status: number; text: string; body: WithProblem<T> }> {
  const res = await call(handler, method, pathname, options);
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as WithProblem<T> };
}

/** A path for a route pattern (`/api/tickets/[id]`): each `[name]` replaced by `value(name)`, and the params the handler receives. */
export function routePath(pattern: string, value: (name: string) => string): { path: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const path = pattern.replace(/\[(\w+)\]/g, (_m, name: string) => {
    params[name] = value(name);
    return encodeURIComponent(params[name]);
  });
  return { path, params };
}

export type DiscoveredRoute = { file: string; pattern: string; methods: string[] };

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** Every app/api route file with the HTTP methods it exports. */
export async function discoverApiRoutes(): Promise<Array<DiscoveredRoute & { module: Record<string, unknown> }>> {
  const root = path.resolve(__dirname, "..", "app", "api");
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry === "route.ts") files.push(full);
    }
  };
  walk(root);
  const routes = [];
  for (const file of files.sort()) {
    const mod = (await import(file)) as Record<string, unknown>;
    const pattern = "/api/" + path.relative(root, path.dirname(file)).split(path.sep).join("/");
    routes.push({ file, pattern: pattern.replace(/\/$/, ""), methods: METHODS.filter((m) => typeof mod[m] === "function"), module: mod });
  }
  return routes;
}

/** The value of the cookie `name` that a response sets (undefined when it sets none). */
export function cookieFrom(res: Response, name: string): string | undefined {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(";");
    const eq = pair.indexOf("=");
    if (pair.slice(0, eq) === name) return pair.slice(eq + 1);
  }
  return undefined;
}

/** Presses "Sign in as <name>" on the Entra emulator's page like a browser; returns the redirect to our callback. */
export async function pressSignIn(authorizeUrl: string, displayName: string): Promise<URL> {
  const page = await fetch(authorizeUrl);
  expect(page.status).toBe(200);
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  const request = /name="request" value="([^"]+)"/.exec(html)?.[1];
  const user = new RegExp(`name="user" value="([^"]+)"[^>]*>Sign in as ${displayName}</button>`).exec(html)?.[1];
  expect(action && request && user, `the sign-in page lists ${displayName}`).toBeTruthy();
  const res = await fetch(new URL(action!, authorizeUrl), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ request: request!, user: user! }),
    redirect: "manual",
  });
  expect(res.status).toBe(302);
  return new URL(res.headers.get("location")!);
}

/** The AppError a promise rejects with (fails the test when it resolves or rejects with anything else). */
export async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}
