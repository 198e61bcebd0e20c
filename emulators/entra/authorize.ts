// The browser-facing sign-in: GET /{tenant}/oauth2/v2.0/authorize shows the seeded users (demo personas
// with their app roles first) as buttons named "Sign in as <name>"; POST issues a single-use code and
// redirects to the app (query or form_post). Served over plain http://localhost so a person's browser shows
// no certificate warning; the back channel (token endpoint) stays HTTPS for MSAL.
import { createHash, randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { type EmulatorRequest, escapeHtml, type HttpError, redirect, sendHtml } from "../common/http";
import { checkTenant, type EntraRuntime, findPrincipal, findUser, isRedirectAllowed, roleOf } from "./runtime";
import type { AuthorizationRequest } from "./state";
import { CODE_SECONDS } from "./tokens";

const PENDING_SECONDS = 15 * 60;
const OTHER_PEOPLE_SHOWN = 12;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#f3f4f6;color:#111827;margin:0}
main{max-width:34rem;margin:3rem auto;background:#fff;border-radius:.5rem;box-shadow:0 1px 3px #0002;padding:2rem}
h1{font-size:1.4rem;margin:0 0 .25rem}p{color:#4b5563}ul{list-style:none;padding:0;margin:0}
li{display:flex;align-items:center;justify-content:space-between;gap:1rem;padding:.5rem 0;border-top:1px solid #e5e7eb}
button{font:inherit;padding:.5rem .9rem;border-radius:.375rem;border:1px solid #1d4ed8;background:#2563eb;color:#fff;cursor:pointer}
button:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.role{font-size:.85rem;padding:.1rem .5rem;border-radius:999px;background:#e0e7ff;color:#3730a3;white-space:nowrap}
.none{background:#f3f4f6;color:#6b7280}.hint{font-size:.85rem}.error{color:#b91c1c}
</style></head><body><main>${body}</main></body></html>`;
}

function errorPage(res: ServerResponse, status: number, message: string): void {
  sendHtml(res, status, page("Sign-in error", `<h1>Sign-in error</h1><p class="error" role="alert">${escapeHtml(message)}</p>`));
}

/** Sends an OAuth error back to the app (only once client and redirect URI are known to be valid). */
function redirectError(res: ServerResponse, redirectUri: string, error: string, description: string, state?: string): void {
  const url = new URL(redirectUri);
  url.searchParams.set("error", error);
  url.searchParams.set("error_description", description);
  if (state) url.searchParams.set("state", state);
  redirect(res, url.toString());
}

export function handleAuthorizeGet(rt: EntraRuntime, req: EmulatorRequest, res: ServerResponse): void {
  const q = req.query;
  try {
    checkTenant(rt, req.params.tenant!);
  } catch (error) {
    return errorPage(res, 400, (error as HttpError).message);
  }
  const clientId = q.get("client_id") ?? "";
  if (!findPrincipal(rt, clientId))
    return errorPage(
      res,
      400,
      `AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${rt.ctx.world.domain}'.`,
    );
  const redirectUri = q.get("redirect_uri") ?? "";
  if (!isRedirectAllowed(rt, clientId.toLowerCase(), redirectUri)) {
    return errorPage(
      res,
      400,
      `AADSTS50011: The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'.`,
    );
  }
  const state = q.get("state") ?? undefined;
  if (q.get("response_type") !== "code")
    return redirectError(
      res,
      redirectUri,
      "unsupported_response_type",
      "AADSTS700054: Only response_type=code is supported by the emulator.",
      state,
    );
  const method = q.get("code_challenge_method") ?? (q.get("code_challenge") ? "plain" : undefined);
  if (method && method !== "S256" && method !== "plain")
    return redirectError(res, redirectUri, "invalid_request", "AADSTS501491: Invalid code_challenge_method.", state);
  if (q.get("prompt") === "none")
    return redirectError(
      res,
      redirectUri,
      "login_required",
      "AADSTS50058: A silent sign-in request was sent but no user is signed in.",
      state,
    );
  const responseMode = (q.get("response_mode") ?? "query") as AuthorizationRequest["responseMode"];
  if (!["query", "form_post", "fragment"].includes(responseMode))
    return redirectError(res, redirectUri, "invalid_request", "AADSTS900144: Invalid response_mode.", state);

  const requestId = randomBytes(24).toString("base64url");
  rt.state().pending.set(requestId, {
    clientId: clientId.toLowerCase(),
    redirectUri,
    scopes: (q.get("scope") ?? "openid profile").split(" ").filter(Boolean),
    state,
    nonce: q.get("nonce") ?? undefined,
    codeChallenge: q.get("code_challenge") ?? undefined,
    codeChallengeMethod: method as AuthorizationRequest["codeChallengeMethod"],
    responseMode,
    loginHint: q.get("login_hint") ?? undefined,
    expiresAt: rt.ctx.clock.now() + PENDING_SECONDS * 1000,
  });
  sendHtml(res, 200, signInPage(rt, req.params.tenant!, requestId, q.get("login_hint") ?? undefined), { "cache-control": "no-store" });
}

function signInPage(rt: EntraRuntime, tenant: string, requestId: string, loginHint?: string): string {
  const people = rt.ctx.world.people;
  const personas = people.filter((p) => p.appRole !== null || p.userName === "nora.norole");
  const others = people.filter((p) => !personas.includes(p)).slice(0, OTHER_PEOPLE_SHOWN);
  const item = (p: (typeof people)[number]) => {
    const role = roleOf(rt, p);
    const isHinted = loginHint?.toLowerCase() === p.email;
    return `<li><span><strong>${escapeHtml(p.displayName)}</strong><br><span class="hint">${escapeHtml(p.email)}</span></span>
<span class="role${role ? "" : " none"}" id="role-${p.oid}">${role ? escapeHtml(role) : "No role"}</span>
<button type="submit" name="user" value="${p.oid}" aria-describedby="role-${p.oid}"${isHinted ? " autofocus" : ""}>Sign in as ${escapeHtml(p.displayName)}</button></li>`;
  };
  return page(
    "Sign in – Entra ID emulator",
    `<h1>Sign in</h1>
<p>Entra ID emulator for <strong>${escapeHtml(rt.ctx.world.domain)}</strong>. Choose who you are; no password is needed.</p>
<form method="post" action="/${escapeHtml(tenant)}/oauth2/v2.0/authorize">
<input type="hidden" name="request" value="${requestId}">
<h2>Demo personas</h2><ul>${personas.map(item).join("")}</ul>
<h2>Other people</h2><ul>${others.map(item).join("")}</ul>
</form>`,
  );
}

export function handleAuthorizePost(rt: EntraRuntime, req: EmulatorRequest, res: ServerResponse): void {
  const form = (typeof req.body === "object" && req.body ? req.body : {}) as Record<string, string | undefined>;
  const pending = form.request ? rt.state().pending.get(form.request) : undefined;
  if (!pending || pending.expiresAt < rt.ctx.clock.now())
    return errorPage(res, 400, "This sign-in request is unknown or has expired. Start again from the application.");
  const user = form.user ? findUser(rt, form.user) : undefined;
  if (!user) return errorPage(res, 400, "AADSTS50034: The selected user account does not exist in this directory.");
  rt.state().pending.delete(form.request!);

  const code = randomBytes(48).toString("base64url");
  const now = rt.ctx.clock.now();
  rt.state().codes.set(code, { ...pending, oid: user.oid, isRedeemed: false, codeExpiresAt: now + CODE_SECONDS * 1000 });
  const params: Record<string, string> = {
    code,
    client_info: Buffer.from(JSON.stringify({ uid: user.oid, utid: rt.ctx.world.tenantId })).toString("base64url"),
  };
  if (pending.state) params.state = pending.state;
  params.session_state = createHash("sha256").update(`${user.oid}:${now}`).digest("hex").slice(0, 36);

  if (pending.responseMode === "form_post") return formPost(res, pending.redirectUri, params);
  const url = new URL(pending.redirectUri);
  if (pending.responseMode === "fragment") url.hash = new URLSearchParams(params).toString();
  else for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  redirect(res, url.toString());
}

function formPost(res: ServerResponse, action: string, params: Record<string, string>): void {
  const script = "document.forms[0].submit();";
  const hash = createHash("sha256").update(script).digest("base64");
  const inputs = Object.entries(params)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join("");
  sendHtml(
    res,
    200,
    page(
      "Signing in…",
      `<form method="post" action="${escapeHtml(action)}">${inputs}<p>Signing you in…</p><button type="submit">Continue</button></form><script>${script}</script>`,
    ),
    {
      "content-security-policy": `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}'; form-action *; frame-ancestors 'none'`,
      "cache-control": "no-store",
    },
  );
}

/** GET /{tenant}/oauth2/v2.0/logout — back to the app when its URI is acceptable, else a signed-out page. */
export function handleLogout(rt: EntraRuntime, req: EmulatorRequest, res: ServerResponse): void {
  const target = req.query.get("post_logout_redirect_uri");
  if (target && isRedirectAllowed(rt, rt.principals.dashboardApp.clientId, target)) {
    const url = new URL(target);
    const state = req.query.get("state");
    if (state) url.searchParams.set("state", state);
    return redirect(res, url.toString());
  }
  sendHtml(res, 200, page("Signed out", "<h1>You signed out</h1><p>You can close this window.</p>"));
}
