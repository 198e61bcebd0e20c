// POST /api/auth/logout — end the session (cookie cleared) and show the signed-out page.
import { NextResponse } from "next/server";
import { resolveActor } from "@/lib/auth/actor";
import { audit } from "@/lib/audit/audit";
import { clientIp } from "@/lib/auth/sign-in";
import { SESSION_COOKIE } from "@/lib/auth/session-token";
import { env } from "@/lib/env";
import { route } from "@/lib/http/route";

export const POST = route({
  role: "public",
  handler: async ({ req, requestId }) => {
    const actor = await resolveActor(req);
    if (actor) await audit({ actor, action: "auth.sign_out", targetType: "user", targetId: actor.id, requestId, ip: clientIp(req) });
    // 303: the browser follows a form POST with a GET.
    const response = NextResponse.redirect(new URL("/signed-out", env().APP_URL), 303);
    response.cookies.delete(SESSION_COOKIE);
    return response;
  },
});
