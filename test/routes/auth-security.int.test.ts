// Security round 2 (issue 15) through the real route handlers, the real msal-node and a private Entra ID
// emulator: open redirects after sign-in, revocable server-side sessions, API tokens bound to their
// owner's current role, the audit IP behind (un)trusted proxies, and sign-in discovery pinned to the
// authority's origin.
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { call, configureTestEnv, cookieFrom, pressSignIn, signedInUser, TEST_APP_URL } from "@/test/app";
import { integrationSuite } from "@/test/integration";
import { type EmulatorManifest } from "@/emulators/manifest";
import { GET as login } from "@/app/api/auth/login/route";
import { GET as callback } from "@/app/api/auth/callback/route";
import { GET as me } from "@/app/api/auth/me/route";
import { POST as logout } from "@/app/api/auth/logout/route";
import { POST as signOutEverywhere } from "@/app/api/auth/sign-out-everywhere/route";
import { GET as listTokens, POST as createToken } from "@/app/api/tokens/route";
import { proxy } from "@/proxy";
import { PEER_HEADER } from "@/lib/net/client-ip";
import { beginSignIn } from "@/lib/auth/entra";
import { startHostileAuthority, type HostileAuthority } from "@/lib/net/testing";

// Private emulators: these tests change people's app roles.
const suite = integrationSuite({ emulators: "private", env: entraEnv, timeoutMs: 120_000 });

/** The emulators' Entra ID as the app's sign-in authority. */
function entraEnv(manifest: EmulatorManifest): Record<string, string> {
  return {
    ENTRA_AUTHORITY: manifest.entra.authority,
    ENTRA_CLIENT_ID: manifest.entra.dashboardApp.clientId,
    ENTRA_CLIENT_SECRET: manifest.entra.dashboardApp.clientSecret,
  };
}

async function signInAs(displayName: string, returnTo?: string, headers: Record<string, string> = {}) {
  const start = await call(login, "GET", "/api/auth/login", { query: returnTo !== undefined ? { returnTo } : {} });
  const authState = cookieFrom(start, "pd_auth")!;
  const redirect = await pressSignIn(start.headers.get("location")!, displayName);
  const res = await call(callback, "GET", "/api/auth/callback", {
    query: Object.fromEntries(redirect.searchParams),
    cookie: `pd_auth=${authState}`,
    headers,
  });
  return { res, cookie: `pd_session=${cookieFrom(res, "pd_session")}` };
}

const whoAmI = async (cookie: string) => call(me, "GET", "/api/auth/me", { cookie });

describe("open redirect after sign-in (item 1)", () => {
  test.each(["/\t/evil.example/phish", "/\n/evil.example", "/\r\n/evil.example", "/\\evil.example", "/\t\\evil.example"])(
    "returnTo %j ends on the app's own origin",
    async (returnTo) => {
      const { res } = await signInAs("Ada Admin", returnTo);
      expect(res.status).toBe(307);
      const location = new URL(res.headers.get("location")!);
      expect(location.origin).toBe(new URL(TEST_APP_URL).origin);
      expect(res.headers.get("location")).toBe(`${TEST_APP_URL}/`);
    },
  );
});

describe("server-side sessions (item 3)", () => {
  test("sign-out ends the session on the server: a copied cookie no longer works", async () => {
    const { cookie } = await signInAs("Ari Analyst");
    const copy = cookie;
    expect((await whoAmI(cookie)).status).toBe(200);
    expect((await call(logout, "POST", "/api/auth/logout", { cookie })).status).toBe(303);
    expect((await whoAmI(copy)).status).toBe(401);
  });

  test("sign out everywhere ends every session of the person, and only theirs", async () => {
    const a = await signInAs("Mona Manager");
    const b = await signInAs("Mona Manager");
    const other = await signInAs("Ari Analyst");
    const res = await call(signOutEverywhere, "POST", "/api/auth/sign-out-everywhere", { cookie: a.cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${TEST_APP_URL}/signed-out`);
    expect((await whoAmI(a.cookie)).status).toBe(401);
    expect((await whoAmI(b.cookie)).status).toBe(401);
    expect((await whoAmI(other.cookie)).status).toBe(200);
    expect(await suite.database.db.auditLog.count({ where: { action: "auth.sign_out_everywhere", actorName: "Mona Manager" } })).toBe(1);
  });

  test("rotation issues a new cookie and retires the old one (after a short grace for requests in flight)", async () => {
    const user = await suite.database.db.user.create({
      data: { oid: crypto.randomUUID(), tenantId: "t", name: "Rotating Rita", role: "ANALYST" },
    });
    const { openSession } = await import("@/lib/auth/sign-in");
    // Signed in 20 minutes ago: older than SESSION_ROTATE_MINUTES (10).
    const sealed = await openSession(user, { oid: user.oid, tid: "t" }, new Date(Date.now() - 20 * 60_000));
    await suite.database.db.userSession.updateMany({ where: { userId: user.id }, data: { lastSeenAt: new Date() } });
    const old = `pd_session=${sealed.value}`;
    const rotated = await proxy(new NextRequest(new URL("/tickets", TEST_APP_URL), { headers: { cookie: old } }));
    const fresh = cookieFrom(rotated, "pd_session");
    expect(fresh).toBeTruthy();
    expect((await whoAmI(`pd_session=${fresh}`)).status).toBe(200);
    // Inside the grace period the old cookie still works (a request already on its way) ...
    expect((await whoAmI(old)).status).toBe(200);
    // ... after it, never again.
    await suite.database.db.userSession.updateMany({ where: { userId: user.id }, data: { rotatedAt: new Date(Date.now() - 60_000) } });
    expect((await whoAmI(old)).status).toBe(401);
    expect((await whoAmI(`pd_session=${fresh}`)).status).toBe(200);
    // The retired cookie cannot be rotated back into a working one.
    const again = await proxy(new NextRequest(new URL("/tickets", TEST_APP_URL), { headers: { cookie: old } }));
    expect(cookieFrom(again, "pd_session")).toBeUndefined();
  });

  test("the role comes from the server, not the cookie: a changed role applies at once", async () => {
    const person = await signedInUser("ADMIN", "Demoted Dora");
    expect((await (await whoAmI(person.cookie)).json()).role).toBe("ADMIN");
    await suite.database.db.user.update({ where: { id: person.id }, data: { role: "MANAGER" } });
    expect((await (await whoAmI(person.cookie)).json()).role).toBe("MANAGER");
    expect((await call(listTokens, "GET", "/api/tokens", { cookie: person.cookie })).status).toBe(403);
  });

  test("a role change in Entra ID at the next sign-in ends the person's older sessions", async () => {
    const before = await signInAs("Nora Norole");
    expect(before.res.headers.get("location")).toBe(`${TEST_APP_URL}/no-access`);
    expect((await whoAmI(before.cookie)).status).toBe(403);
    const email = (await suite.database.db.user.findFirstOrThrow({ where: { name: "Nora Norole" } })).email!;
    expect((await suite.emu.control("entra", "PATCH", `/_emulator/entra/users/${email}`, { role: "Manager" })).status).toBe(200);
    try {
      const after = await signInAs("Nora Norole");
      expect((await (await whoAmI(after.cookie)).json()).role).toBe("MANAGER");
      expect((await whoAmI(before.cookie)).status).toBe(401);
      const audit = await suite.database.db.auditLog.findFirstOrThrow({
        where: { action: "auth.sign_in", actorName: "Nora Norole" },
        orderBy: { id: "desc" },
      });
      expect(audit.before).toEqual({ role: null });
      expect(audit.after).toMatchObject({ role: "MANAGER", endedSessions: 1 });
    } finally {
      await suite.emu.control("entra", "PATCH", `/_emulator/entra/users/${email}`, { role: null });
    }
  });

  test("a session unused for longer than SESSION_IDLE_MINUTES (default 60) ends; its absolute end holds too", async () => {
    const idle = await signedInUser("ANALYST", "Idle Ida");
    expect((await whoAmI(idle.cookie)).status).toBe(200);
    await suite.database.db.userSession.updateMany({
      where: { userId: idle.id },
      data: { lastSeenAt: new Date(Date.now() - 61 * 60_000) },
    });
    expect((await whoAmI(idle.cookie)).status).toBe(401);

    const busy = await signedInUser("ANALYST", "Busy Bo");
    await suite.database.db.userSession.updateMany({
      where: { userId: busy.id },
      data: { lastSeenAt: new Date(Date.now() - 59 * 60_000) },
    });
    expect((await whoAmI(busy.cookie)).status).toBe(200);
    await suite.database.db.userSession.updateMany({ where: { userId: busy.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await whoAmI(busy.cookie)).status).toBe(401);
  });
});

describe("API tokens bound to a person (item 5)", () => {
  const body = (name: string, role: "ADMIN" | "ANALYST" | "MANAGER" = "ANALYST") => ({ name, role, expiresInDays: 1 });

  test("a token stops working when its owner loses the role; tokens minted by a token belong to the same person; the chain is audited", async () => {
    const owner = await signedInUser("ADMIN", "Token Owner Olga");
    const created = await call(createToken, "POST", "/api/tokens", { cookie: owner.cookie, body: body("olga-admin", "ADMIN") });
    expect(created.status).toBe(201);
    const { token, item } = (await created.json()) as { token: string; item: { id: string } };
    expect((await call(me, "GET", "/api/auth/me", { token })).status).toBe(200);

    // The token mints another: its owner is Olga (not nobody), and the minting token is recorded.
    const minted = await call(createToken, "POST", "/api/tokens", { token, body: body("olga-child", "ANALYST") });
    expect(minted.status).toBe(201);
    const child = (await minted.json()) as { token: string; item: { id: string } };
    const row = await suite.database.db.apiToken.findUniqueOrThrow({ where: { id: child.item.id } });
    expect(row.createdById).toBe(owner.id);
    expect(row.createdByTokenId).toBe(item.id);
    const audit = await suite.database.db.auditLog.findFirstOrThrow({ where: { action: "token.create", targetId: child.item.id } });
    expect(audit.actorType).toBe("token");
    expect(audit.actorId).toBe(item.id);
    expect(audit.actorName).toContain("Token Owner Olga");
    expect(audit.after).toMatchObject({ owner: { id: owner.id, name: "Token Owner Olga" }, mintedByToken: item.id });

    // Olga becomes a manager: the admin token and the analyst token are refused (token role > her role).
    await suite.database.db.user.update({ where: { id: owner.id }, data: { role: "MANAGER" } });
    const refused = await call(me, "GET", "/api/auth/me", { token });
    expect(refused.status).toBe(401);
    expect((await refused.json()).detail).toMatch(/owner no longer holds the Admin role/);
    expect((await call(me, "GET", "/api/auth/me", { token: child.token })).status).toBe(401);
    // Back to analyst: the analyst token works again, the admin one does not.
    await suite.database.db.user.update({ where: { id: owner.id }, data: { role: "ANALYST" } });
    expect((await call(me, "GET", "/api/auth/me", { token: child.token })).status).toBe(200);
    expect((await call(me, "GET", "/api/auth/me", { token })).status).toBe(401);
  });

  test("a token without an owner is refused, and none can be created for nobody", async () => {
    const { createApiToken } = await import("@/lib/tokens/tokens");
    await expect(createApiToken({ type: "system", id: null, name: "cli" }, body("orphan"))).rejects.toMatchObject({ code: "VALIDATION" });
    const owner = await signedInUser("ANALYST", "Leaving Lou");
    const { token } = await createApiToken({ type: "system", id: null, name: "cli" }, body("lou"), { ownerId: owner.id });
    expect((await call(me, "GET", "/api/auth/me", { token })).status).toBe(200);
    await suite.database.db.user.delete({ where: { id: owner.id } });
    expect((await call(me, "GET", "/api/auth/me", { token })).status).toBe(401);
  });
});

describe("audit IP and X-Forwarded-For (item 6)", () => {
  /** Signs a new person out with these request headers; answers the address their sign-out's audit entry recorded. */
  async function signOutAuditIp(name: string, headers: Record<string, string>): Promise<string | null> {
    const person = await signedInUser("ANALYST", name);
    await call(logout, "POST", "/api/auth/logout", { cookie: person.cookie, headers });
    const row = await suite.database.db.auditLog.findFirstOrThrow({ where: { action: "auth.sign_out", actorName: name } });
    return row.ip;
  }

  test("without TRUSTED_PROXIES a forged X-Forwarded-For is ignored: the peer address is recorded", async () => {
    expect(await signOutAuditIp("Forging Fay", { "x-forwarded-for": "203.0.113.66", [PEER_HEADER]: "192.0.2.10" })).toBe("192.0.2.10");
  });

  test("through a trusted proxy the forwarded client address is recorded (and only the proxy's own hop is skipped)", async () => {
    configureTestEnv(suite.database.url, { ...entraEnv(suite.emu.manifest), TRUSTED_PROXIES: "10.0.0.0/8" });
    try {
      const headers = { "x-forwarded-for": "203.0.113.66, 198.51.100.7, 10.1.2.3", [PEER_HEADER]: "10.0.0.5" };
      expect(await signOutAuditIp("Proxied Pat", headers)).toBe("198.51.100.7");
    } finally {
      configureTestEnv(suite.database.url, entraEnv(suite.emu.manifest));
    }
  });

  test("the sign-in audit records the peer, not a forged header", async () => {
    await signInAs("Ari Analyst", undefined, { "x-forwarded-for": "6.6.6.6", [PEER_HEADER]: "127.0.0.1" });
    const row = await suite.database.db.auditLog.findFirstOrThrow({
      where: { action: "auth.sign_in", actorName: "Ari Analyst" },
      orderBy: { id: "desc" },
    });
    expect(row.ip).toBe("127.0.0.1");
  });
});

describe("sign-in discovery pinned to the authority (item 2)", () => {
  let hostile: HostileAuthority;
  beforeAll(async () => {
    hostile = await startHostileAuthority();
  });
  afterAll(async () => {
    await hostile.stop();
    configureTestEnv(suite.database.url, entraEnv(suite.emu.manifest));
  });

  test.each(["token-elsewhere", "keys-elsewhere", "redirect"] as const)(
    "an authority whose discovery is %s is refused and nothing reaches the other host",
    async (mode) => {
      hostile.mode = mode;
      configureTestEnv(suite.database.url, {
        ENTRA_AUTHORITY: `${hostile.url}/tenant-x`,
        ENTRA_CLIENT_ID: "client-x",
        ENTRA_CLIENT_SECRET: "client-secret-x",
      });
      const { verifyIdToken } = await import("@/lib/auth/entra");
      await expect(verifyIdToken("a.b.c", "n")).rejects.toThrow(/origin|redirect/);
      expect(hostile.thiefRequests).toEqual([]);
    },
  );

  test("an http:// authority is refused before any request", async () => {
    configureTestEnv(suite.database.url, { ENTRA_AUTHORITY: "http://127.0.0.1:9/tenant-x" });
    await expect(beginSignIn()).rejects.toThrow();
    const { verifyIdToken } = await import("@/lib/auth/entra");
    await expect(verifyIdToken("a.b.c", "n")).rejects.toThrow(/only https/);
  });
});
