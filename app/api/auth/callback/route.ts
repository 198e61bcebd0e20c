// GET /api/auth/callback — Entra ID returns here with a code; verify, start the session, go back.
import { NextResponse } from "next/server";
import { z } from "zod";
import { AUTH_STATE_COOKIE, openAuthState, safeReturnTo } from "@/lib/auth/auth-state";
import { completeSignIn } from "@/lib/auth/entra";
import { clientIp, startSession } from "@/lib/auth/sign-in";
import { SESSION_COOKIE, sessionCookieOptions } from "@/lib/auth/session-token";
import { env } from "@/lib/env";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

const ZCallback = z
  .object({
    code: z.string().max(8192).optional(),
    state: z.string().max(512).optional(),
    error: z.string().max(200).optional(),
    error_description: z.string().max(2000).optional(),
  })
  .loose();

export const GET = route({
  role: "public",
  query: ZCallback,
  handler: async ({ req, query, log, requestId }) => {
    const e = env();
    const fail = (reason: string) => {
      const response = NextResponse.redirect(new URL(`/signin?error=${encodeURIComponent(reason)}`, e.APP_URL));
      response.cookies.delete({ name: AUTH_STATE_COOKIE, path: "/api/auth" });
      return response;
    };
    if (query.error) {
      log.warn({ error: query.error, description: query.error_description }, "Entra ID returned an error");
      return fail(query.error === "access_denied" ? "denied" : "idp");
    }
    const pending = await openAuthState(req.cookies.get(AUTH_STATE_COOKIE)?.value, e.SESSION_SECRET);
    if (!pending || !query.code || !query.state) return fail("expired");
    try {
      const identity = await completeSignIn({ code: query.code, state: query.state, expected: pending });
      const { sealed } = await startSession(identity, { requestId, ip: clientIp(req) });
      // Checked again on the way out: the pending state may predate a stricter rule.
      const response = NextResponse.redirect(new URL(identity.role ? safeReturnTo(pending.returnTo, e.APP_URL) : "/no-access", e.APP_URL));
      response.cookies.set(SESSION_COOKIE, sealed.value, sessionCookieOptions(e.APP_URL, sealed.maxAge));
      response.cookies.delete({ name: AUTH_STATE_COOKIE, path: "/api/auth" });
      return response;
    } catch (error) {
      log.warn({ err: error }, "sign-in failed");
      return fail("rejected");
    }
  },
});
