// POST /api/auth/logout — end the session (the server-side record is revoked, the cookie cleared) and
// show the signed-out page.
import { NextResponse } from "next/server";
import { resolveActor } from "@/lib/auth/actor";
import { audit } from "@/lib/audit/audit";
import { clientIp } from "@/lib/auth/sign-in";
import { SESSION_COOKIE } from "@/lib/auth/session-token";
import { revokeSessionRecord } from "@/lib/auth/sessions-sql";
import { env } from "@/lib/env";
import { route } from "@/lib/http/route";

export const POST = route({
  role: "public",
  summary: "Sign out: ends this session on the server and clears its cookie",
  handler: async ({ req, requestId }) => {
    const actor = await resolveActor(req);
    if (actor?.sessionId) await revokeSessionRecord(actor.sessionId);
    if (actor)
      await audit({
        actor,
        action: "auth.sign_out",
        targetType: "user",
        targetId: actor.ownerId ?? actor.id,
        requestId,
        ip: clientIp(req),
      });
    // 303: the browser follows a form POST with a GET.
    const response = NextResponse.redirect(new URL("/signed-out", env().APP_URL), 303);
    response.cookies.delete(SESSION_COOKIE);
    return response;
  },
});
