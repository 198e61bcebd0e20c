// Saved views through the route handlers: save, list (mine first, then others' shared), get by id
// (a shared view is readable by others, a private one is not), share, rename, delete (owner only);
// filters validated against the page's own query schema; bad input is a clear 4xx, never 500.
import { beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { type TSavedView, type TSavedViewList } from "@/lib/schemas/saved-views";
import { apiTokenFor, call, signedInUser } from "@/test/app";
import { integrationSuite } from "@/test/integration";
import * as listRoute from "@/app/api/saved-views/route";
import * as viewRoute from "@/app/api/saved-views/[id]/route";

integrationSuite({ emulators: "none" });
let mona: string;
let ari: string;
let noRole: string;
let token: string;

type Body = TSavedView & TSavedViewList & { detail?: string; errors?: Array<{ path: string; message: string }> };
async function send(
  handler: Parameters<typeof call>[0],
  method: string,
  path: string,
  opts: { body?: unknown; cookie?: string; token?: string; id?: string; query?: Record<string, string> } = {},
) {
  const res = await call(handler, method, path, {
    body: opts.body,
    cookie: opts.cookie,
    token: opts.token,
    params: opts.id ? { id: opts.id } : undefined,
    query: opts.query,
  });
  return { status: res.status, body: (res.status === 204 ? {} : await res.json()) as Body };
}
const save = (body: unknown, cookie = mona) => send(listRoute.POST, "POST", "/api/saved-views", { body, cookie });
const list = (cookie = mona, query: Record<string, string> = { page: "findings" }) =>
  send(listRoute.GET, "GET", "/api/saved-views", { cookie, query });
const get = (id: string, cookie = ari) => send(viewRoute.GET, "GET", `/api/saved-views/${id}`, { id, cookie });
const patch = (id: string, body: unknown, cookie = mona) => send(viewRoute.PATCH, "PATCH", `/api/saved-views/${id}`, { id, body, cookie });
const remove = (id: string, cookie = mona) => send(viewRoute.DELETE, "DELETE", `/api/saved-views/${id}`, { id, cookie });

beforeAll(async () => {
  mona = (await signedInUser("MANAGER", "Mona Views")).cookie;
  ari = (await signedInUser("ANALYST", "Ari Views")).cookie;
  noRole = (await signedInUser(null)).cookie;
  token = await apiTokenFor("ANALYST");
});
describe("saved views", () => {
  test("a manager saves a private view and a shared one; others see only the shared one, and open it by id", async () => {
    const priv = await save({
      name: " High, no ticket ",
      page: "findings",
      filters: { severity: ["High"], hasTicket: "false", sort: "-changed" },
    });
    expect(priv.status).toBe(201);
    expect(priv.body).toMatchObject({
      name: "High, no ticket",
      page: "findings",
      isShared: false,
      isMine: true,
      ownerName: "Mona Views",
      filters: { severity: ["High"], hasTicket: "false" },
    });
    const shared = await save({
      name: "Prod storage",
      page: "findings",
      filters: { q: "storage", resourceType: "microsoft.storage/storageaccounts" },
      isShared: true,
    });
    expect(shared.status).toBe(201);

    expect((await list()).body.items.map((v) => v.name)).toEqual(["High, no ticket", "Prod storage"]);
    const others = await list(ari);
    expect(others.body.items.map((v) => [v.name, v.isMine, v.ownerName])).toEqual([["Prod storage", false, "Mona Views"]]);
    expect((await get(shared.body.id)).body.filters).toEqual({ q: "storage", resourceType: "microsoft.storage/storageaccounts" });
    expect((await get(priv.body.id)).status).toBe(404);
    // API tokens read shared views only and cannot save.
    expect(
      (await send(listRoute.GET, "GET", "/api/saved-views", { token, query: { page: "findings" } })).body.items.map((v) => v.name),
    ).toEqual(["Prod storage"]);
    expect(
      (await send(listRoute.POST, "POST", "/api/saved-views", { token, body: { name: "t", page: "findings", filters: {} } })).status,
    ).toBe(403);
    // Another page's list does not show them.
    expect((await list(mona, { page: "recommendations" })).body.items).toEqual([]);
    expect(await db().auditLog.count({ where: { action: "saved_view.create" } })).toBe(2);
  });

  test("only the owner shares, renames or deletes; a view shared later becomes readable", async () => {
    const v = await save({ name: "Overdue", page: "recommendations", filters: { overdue: "true" } });
    expect((await get(v.body.id)).status).toBe(404);
    const shared = await patch(v.body.id, { isShared: true });
    expect(shared.status).toBe(200);
    expect(shared.body.isShared).toBe(true);
    expect((await get(v.body.id)).status).toBe(200);
    expect((await patch(v.body.id, { name: "Mine now" }, ari)).status).toBe(403);
    expect((await remove(v.body.id, ari)).status).toBe(403);
    expect((await patch(v.body.id, { name: "Overdue (all)" })).body.name).toBe("Overdue (all)");
    expect((await remove(v.body.id)).status).toBe(204);
    expect((await get(v.body.id)).status).toBe(404);
    expect((await remove(v.body.id)).status).toBe(404);
  });

  test("bad input is a clear 4xx and nothing is stored", async () => {
    const before = await db().savedView.count();
    const cases: Array<[unknown, RegExp]> = [
      [{ name: "", page: "findings", filters: {} }, /name/i],
      [{ name: "x", page: "tickets", filters: {} }, /page/i],
      [{ name: "x", page: "findings", filters: { nope: "1" } }, /'nope' is not a filter/],
      [{ name: "x", page: "findings", filters: { severity: "Critical" } }, /severity/],
      [{ name: "x", page: "findings", filters: { page: "2" } }, /'page' is not a filter/],
      [
        { name: "x", page: "recommendations", filters: { resourceGroup: "rg" } },
        /'resourceGroup' is not a filter of the recommendations page/,
      ],
      [{ name: "x", page: "findings", filters: { q: { $ne: 1 } } }, /filters/],
      [{ name: "x", page: "findings", filters: [] }, /filters/],
      [{ name: "x".repeat(81), page: "findings", filters: {} }, /name/i],
      [{ name: "x", page: "findings", filters: {}, ownerId: "someone" }, /ownerId|unrecognized/i],
    ];
    for (const [body, message] of cases) {
      const res = await save(body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(JSON.stringify(res.body), JSON.stringify(body)).toMatch(message);
    }
    const dup = await save({ name: "Dup", page: "findings", filters: {} });
    expect(dup.status).toBe(201);
    const again = await save({ name: "Dup", page: "findings", filters: { severity: "Low" } });
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/already have a view named 'Dup'/);
    expect((await patch(dup.body.id, {})).status).toBe(422);
    expect((await patch(dup.body.id, { filters: { bogus: "1" } })).status).toBe(422);
    expect((await get("not-a-uuid", mona)).status).toBe(422);
    expect((await list(noRole)).status).toBe(403);
    expect((await list(mona, { page: "tickets" })).status).toBe(422);
    expect(await db().savedView.count()).toBe(before + 1);
  });
});
