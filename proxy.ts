import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { SESSION_COOKIE, needsRotation, openSession, sealSession, sessionCookieOptions } from "@/lib/auth/session-token";
import { rotateSessionRecord } from "@/lib/auth/sessions-sql";

// Runs before every page and API request (Node.js runtime):
// - a per-request CSP nonce, so no inline script runs without it (no 'unsafe-inline' for scripts);
// - an optimistic sign-in redirect for pages (the real check is in each layout, route and service);
// - session rotation: a cookie older than SESSION_ROTATE_MINUTES is reissued with a new id, and the
//   server-side session record retires the old one (lib/auth/sessions.ts);
// - the CSP header on every response it sees, prefetch and RSC requests included (the matcher below
//   leaves out only static files).

const PUBLIC_PAGES = ["/signin", "/no-access", "/signed-out"];

export async function proxy(request: NextRequest) {
  const e = env();
  const { pathname, search } = request.nextUrl;
  const isApi = pathname.startsWith("/api/");
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const isDev = e.NODE_ENV === "development";
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ""}`,
    // React and the chart library set style attributes; scripts stay nonce-only.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");

  const claims = await openSession(request.cookies.get(SESSION_COOKIE)?.value, e.SESSION_SECRET);
  const isPublicPage = PUBLIC_PAGES.some((p) => pathname === p || pathname.startsWith(`${p}/`));
  if (!isApi && !isPublicPage && !claims) {
    const target = new URL("/signin", request.url);
    if (pathname !== "/") target.searchParams.set("returnTo", pathname + search);
    return withSecurityHeaders(NextResponse.redirect(target), csp, e.APP_URL);
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  if (claims && needsRotation(claims, e.SESSION_ROTATE_MINUTES * 60)) {
    const { iat: _iat, exp: _exp, jti: oldJti, ...data } = claims;
    const sealed = await sealSession(data, e.SESSION_SECRET, e.SESSION_TTL_MINUTES * 60);
    // Only the session's current cookie rotates; a revoked, expired or superseded one does not come back.
    if (await rotateSessionRecord(data.sid, oldJti, sealed.jti)) {
      response.cookies.set(SESSION_COOKIE, sealed.value, sessionCookieOptions(e.APP_URL, sealed.maxAge));
    }
  }
  return withSecurityHeaders(response, csp, e.APP_URL);
}

function withSecurityHeaders(response: NextResponse, csp: string, appUrl: string): NextResponse {
  response.headers.set("content-security-policy", csp);
  if (appUrl.startsWith("https://")) response.headers.set("strict-transport-security", "max-age=31536000; includeSubDomains");
  return response;
}

export const config = {
  // Prefetch and RSC requests included: every HTML (and flight) response carries the CSP header.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|robots.txt).*)"],
};
