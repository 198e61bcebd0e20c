// POST /api/auth/sign-out-everywhere — end every session of the signed-in person (all browsers and
// devices, this one included) and show the signed-out page.
import { NextResponse } from "next/server";
import { z } from "zod";
import { audit } from "@/lib/audit/audit";
import { clientIp } from "@/lib/auth/sign-in";
import { SESSION_COOKIE } from "@/lib/auth/session-token";
import { revokeAllSessionRecords } from "@/lib/auth/sessions-sql";
import { env } from "@/lib/env";
import { AppError } from "@/lib/http/errors";
import { route } from "@/lib/http/route";

export const POST = route({
  role: "manager",
  summary: "Sign out everywhere: ends every session of the signed-in person",
  response: z.object({ ended: z.number().int() }),
  handler: async ({ req, actor, requestId }) => {
    if (actor.type !== "user")
      throw new AppError("BAD_REQUEST", { message: "An API token has no sessions to end; revoke the token instead" });
    const ended = await revokeAllSessionRecords(actor.id);
    await audit({
      actor,
      action: "auth.sign_out_everywhere",
      targetType: "user",
      targetId: actor.id,
      after: { endedSessions: ended },
      requestId,
      ip: clientIp(req),
    });
    // 303: the browser follows a form POST with a GET.
    const response = NextResponse.redirect(new URL("/signed-out", env().APP_URL), 303);
    response.cookies.delete(SESSION_COOKIE);
    return response;
  },
});
