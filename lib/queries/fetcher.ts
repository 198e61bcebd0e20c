import { ApiError } from "@/lib/queries/query-client";

// Browser-side calls to our own API. Errors become ApiError with the problem+json detail, so
// forms and toasts show the server's own message.

export async function apiFetch<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, headers, ...rest } = init;
  const res = await fetch(path, {
    ...rest,
    headers: { accept: "application/json", ...(json !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    body: json !== undefined ? JSON.stringify(json) : rest.body,
    credentials: "same-origin",
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const body = text ? safeJson(text) : undefined;
  if (!res.ok) {
    const p = (body ?? {}) as {
      detail?: string;
      title?: string;
      code?: string;
      errors?: Array<{ path: string; message: string }>;
      requestId?: string;
    };
    if (res.status === 401 && typeof window !== "undefined") {
      // The session expired: a full page load of the sign-in page (absolute URL), then back here.
      const signIn = new URL("/signin", window.location.origin);
      signIn.searchParams.set("returnTo", window.location.pathname + window.location.search);
      window.location.assign(signIn.href);
    }
    throw new ApiError(res.status, p.detail ?? p.title ?? `Request failed (${res.status})`, p.code, p.errors, p.requestId);
  }
  return body as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Builds a query string from a filter object, dropping empty values; arrays repeat the key. */
export function toSearchParams(filters: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
    else params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}
