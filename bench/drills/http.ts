// HTTP for the drills: the apps' public API (bearer token, as a SOAR tool or CI pipeline calls it) and
// the emulators' control API.
import type { EmulatorManifest } from "@/emulators/index";
import type { Proc } from "./procs";

export type ApiResponse<T = unknown> = { status: number; body: T; headers: Headers; ms: number };

export type ApiOptions = { body?: unknown; rawBody?: string; requestId?: string; timeoutMs?: number; headers?: Record<string, string> };

/** One API call to an app; a 5xx is returned, not thrown (drills count them). Network errors throw. */
export async function api<T = unknown>(
  app: Proc,
  token: string,
  method: string,
  pathname: string,
  options: ApiOptions = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: "application/json", ...options.headers };
  if (options.body !== undefined || options.rawBody !== undefined) headers["content-type"] = "application/json";
  if (options.requestId) headers["x-request-id"] = options.requestId;
  const started = performance.now();
  const res = await fetch(`http://127.0.0.1:${app.port}${pathname}`, {
    method,
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    signal: AbortSignal.timeout(options.timeoutMs ?? 120_000),
  });
  const text = await res.text();
  let body: unknown = text;
  if ((res.headers.get("content-type") ?? "").includes("json") && text) body = JSON.parse(text);
  return { status: res.status, body: body as T, headers: res.headers, ms: performance.now() - started };
}

/** Like api(), but anything other than the expected status is an error that shows the answer. */
export async function apiOk<T = unknown>(
  app: Proc,
  token: string,
  method: string,
  pathname: string,
  expected: number | number[],
  options: ApiOptions = {},
): Promise<T> {
  const res = await api<T>(app, token, method, pathname, options);
  const ok = Array.isArray(expected) ? expected.includes(res.status) : res.status === expected;
  if (!ok)
    throw new Error(
      `${method} ${pathname} on ${app.name} answered ${res.status} (expected ${String(expected)}): ${JSON.stringify(res.body).slice(0, 500)}`,
    );
  return res.body;
}

export type EmulatorName = "arm" | "entra" | "servicenow";

export function emulatorControl(manifest: EmulatorManifest) {
  return async function control<T = unknown>(emulator: EmulatorName, method: string, route: string, body?: unknown): Promise<T> {
    const base = { arm: manifest.arm.url, entra: manifest.entra.url, servicenow: manifest.servicenow.url }[emulator];
    const res = await fetch(`${base}${route}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`emulator ${emulator} ${method} ${route} → ${res.status}: ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

export type Control = ReturnType<typeof emulatorControl>;
