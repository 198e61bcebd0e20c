// GET /api/auth/login — start the Entra ID sign-in (authorization code + PKCE) and redirect there.
import { NextResponse } from "next/server";
import { z } from "zod";
import { AUTH_STATE_COOKIE, AUTH_STATE_TTL_SECONDS, safeReturnTo, sealAuthState } from "@/lib/auth/auth-state";
import { beginSignIn } from "@/lib/auth/entra";
import { env } from "@/lib/env";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route({
  role: "public",
  query: z.object({ returnTo: z.string().max(2000).optional() }).loose(),
  handler: async ({ query, log }) => {
    const e = env();
    try {
      const request = await beginSignIn();
      const response = NextResponse.redirect(request.url);
      const sealed = await sealAuthState(
        {
          state: request.state,
          nonce: request.nonce,
          codeVerifier: request.codeVerifier,
          returnTo: safeReturnTo(query.returnTo, e.APP_URL),
        },
        e.SESSION_SECRET,
      );
      response.cookies.set(AUTH_STATE_COOKIE, sealed, {
        httpOnly: true,
        sameSite: "lax",
        secure: e.APP_URL.startsWith("https://"),
        path: "/api/auth",
        maxAge: AUTH_STATE_TTL_SECONDS,
      });
      return response;
    } catch (error) {
      log.error({ err: error }, "sign-in could not start");
      return NextResponse.redirect(new URL("/signin?error=unavailable", e.APP_URL));
    }
  },
});
