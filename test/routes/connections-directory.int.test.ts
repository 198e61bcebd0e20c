// The assignee / caller / group pickers against the ServiceNow emulator over HTTPS: the search routes
// (session and role, validated input, LIKE over name, user name and e-mail OR'ed, active only, pages),
// and the references a ticket accepts: a display name that names exactly one person or group resolves
// to its sys_id; one several share is refused with a 422 naming the field and the problem.
import { beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { type TDirectoryGroup, type TDirectoryPage, type TDirectoryUser } from "@/lib/schemas/connections";
import { type TCreatedTicket } from "@/lib/schemas/tickets";
import { call, signedInUser } from "@/test/app";
import { findingsWorldSuite } from "@/test/integration";
import * as usersRoute from "@/app/api/connections/[id]/users/route";
import * as groupsRoute from "@/app/api/connections/[id]/groups/route";
import * as ticketsRoute from "@/app/api/tickets/route";

const suite = findingsWorldSuite({ stopsBoss: true });
let analyst: string;
let manager: string;
let nextFinding = 0;
// The emulator is shared by the test files: records this file adds carry a suffix of their own.
const tag = Math.random().toString(36).slice(2, 7);

type SnRecord = Record<string, string>;
async function addRecord(table: string, fields: Record<string, string>): Promise<SnRecord> {
  const res = await suite.emu.control<SnRecord>("servicenow", "POST", `/_emulator/records/${table}`, { fields });
  expect(res.status).toBe(201);
  return res.body;
}
async function snRecord(table: string, sysId: string): Promise<SnRecord> {
  const r = await suite.emu.control<{ result: SnRecord }>("servicenow", "GET", `/_emulator/records/${table}/${sysId}`);
  return r.body.result;
}
async function sysIdOf(table: string, query: string): Promise<string> {
  const r = await suite.emu.control<{ result: SnRecord[] }>(
    "servicenow",
    "GET",
    `/_emulator/records/${table}?sysparm_query=${encodeURIComponent(query)}`,
  );
  expect(r.body.result).toHaveLength(1);
  return r.body.result[0]!.sys_id!;
}

async function search<T>(
  route: typeof usersRoute.GET,
  kind: "users" | "groups",
  query: Record<string, string | number>,
  cookie: string | undefined = analyst,
  id = suite.connection.id,
) {
  const res = await call(route, "GET", `/api/connections/${id}/${kind}`, {
    params: { id },
    query: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])),
    cookie,
  });
  return {
    status: res.status,
    body: (await res.json()) as TDirectoryPage<T> & { detail?: string; errors?: Array<{ path: string; message: string }> },
  };
}
const users = (query: Record<string, string | number>, cookie?: string) => search<TDirectoryUser>(usersRoute.GET, "users", query, cookie);
const groups = (query: Record<string, string | number>, cookie?: string) =>
  search<TDirectoryGroup>(groupsRoute.GET, "groups", query, cookie);

async function createTicket(fields: Record<string, string>) {
  const finding = suite.world.unhealthy[nextFinding++]!;
  const res = await call(ticketsRoute.POST, "POST", "/api/tickets", {
    body: { connectionId: suite.connection.id, type: "incident", findingIds: [finding.id], ...fields },
    cookie: analyst,
  });
  return {
    status: res.status,
    body: (await res.json()) as { tickets: TCreatedTicket[]; detail?: string; errors?: Array<{ path: string; message: string }> },
  };
}

beforeAll(async () => {
  analyst = (await signedInUser("ANALYST")).cookie;
  manager = (await signedInUser("MANAGER")).cookie;
  // Two active people sharing a display name, one inactive person, two groups sharing a name.
  for (const n of [1, 2])
    await addRecord("sys_user", {
      user_name: `pat.twin${n}.${tag}`,
      first_name: "Pat",
      last_name: `Twin${tag}`,
      name: `Pat Twin${tag}`,
      email: `pat.twin${n}.${tag}@contoso.example`,
      active: "true",
    });
  await addRecord("sys_user", {
    user_name: `gone.${tag}`,
    name: `Gone Person${tag}`,
    email: `gone.${tag}@contoso.example`,
    active: "false",
  });
  for (const d of ["first", "second"]) await addRecord("sys_user_group", { name: `Twin Team ${tag}`, description: d, active: "true" });
});

describe("GET /api/connections/{id}/users and /groups – who may search, and what", () => {
  test("a session is required and managers may not search; an unknown connection is 404", async () => {
    expect((await users({ q: "ari" }, "")).status).toBe(401);
    expect((await users({ q: "ari" }, manager)).status).toBe(403);
    expect((await groups({ q: "cloud" }, manager)).status).toBe(403);
    const unknown = await search(usersRoute.GET, "users", { q: "ari" }, analyst, "00000000-0000-4000-8000-000000000000");
    expect(unknown.status).toBe(404);
  });

  test("malformed input: 422 naming the parameter, nothing sent to ServiceNow", async () => {
    for (const [query, path] of [
      [{ q: "a\nb" }, "query.q"],
      [{ q: "x".repeat(101) }, "query.q"],
      [{ limit: 0 }, "query.limit"],
      [{ limit: 51 }, "query.limit"],
      [{ offset: -1 }, "query.offset"],
      [{ offset: "two" }, "query.offset"],
    ] as const) {
      const res = await users(query);
      expect(res.status, JSON.stringify(query)).toBe(422);
      expect(res.body.errors!.map((e) => e.path)).toContain(path);
    }
  });
});

describe("search semantics (nameLIKE^ORuser_nameLIKE^ORemailLIKE, active only)", () => {
  test("finds a person by part of the display name, the user name or the e-mail, in any case", async () => {
    for (const q of ["ari anal", "RI.ANA", "ari.analyst@contoso"]) {
      const res = await users({ q });
      expect(res.status).toBe(200);
      expect(
        res.body.items.map((u) => u.userName),
        q,
      ).toContain("ari.analyst");
      expect(res.body.items.find((u) => u.userName === "ari.analyst")).toMatchObject({
        name: "Ari Analyst",
        email: "ari.analyst@contoso.example",
        sysId: expect.stringMatching(/^[0-9a-f]{32}$/),
      });
    }
    // Each item matched at least one of the three fields.
    const twins = await users({ q: `twin${tag}` });
    expect(twins.body.items.map((u) => u.userName).sort()).toEqual([`pat.twin1.${tag}`, `pat.twin2.${tag}`]);
  });

  test("inactive people are not offered; a sys_id finds its own record (to show a stored reference by name)", async () => {
    expect((await users({ q: `gone.${tag}` })).body.items).toEqual([]);
    const sysId = await sysIdOf("sys_user", "user_name=ari.analyst");
    expect((await users({ q: sysId })).body.items.map((u) => u.userName)).toEqual(["ari.analyst"]);
    const groupId = await sysIdOf("sys_user_group", "name=Service Desk");
    expect((await groups({ q: groupId })).body.items.map((g) => g.name)).toEqual(["Service Desk"]);
  });

  test("groups by part of the name; an empty search lists them in name order", async () => {
    expect((await groups({ q: "SECURITY op" })).body.items.map((g) => g.name)).toEqual(["Cloud Security Operations"]);
    const all = await groups({ limit: 50 });
    const names = all.body.items.map((g) => g.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base" })));
    expect(names).toEqual(expect.arrayContaining(["Service Desk", `Twin Team ${tag}`]));
  });

  test("pages: nextOffset until the last page, no person twice", async () => {
    const seen: string[] = [];
    let offset: number | null = 0;
    let pages = 0;
    while (offset !== null && pages < 50) {
      const res: Awaited<ReturnType<typeof users>> = await users({ q: "contoso.example", limit: 7, offset });
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(7);
      seen.push(...res.body.items.map((u) => u.sysId));
      offset = res.body.nextOffset;
      pages++;
    }
    expect(pages).toBeGreaterThan(1);
    expect(new Set(seen).size).toBe(seen.length);
    const active = await suite.emu.control<{ total: number }>(
      "servicenow",
      "GET",
      `/_emulator/records/sys_user?sysparm_query=${encodeURIComponent("emailLIKEcontoso.example^active=true")}&limit=1`,
    );
    expect(seen).toHaveLength(active.body.total);
  });
});

describe("POST /api/tickets – references by display name", () => {
  test("a display name that names exactly one person or group resolves to its sys_id", async () => {
    const res = await createTicket({ assignedTo: "Ari Analyst", callerId: "mona manager", assignmentGroup: "cloud security operations" });
    expect(res.status).toBe(201);
    const row = await db().ticket.findUniqueOrThrow({ where: { id: res.body.tickets[0]!.id } });
    const record = await snRecord("incident", row.sysId);
    expect(record.assigned_to).toBe(await sysIdOf("sys_user", "user_name=ari.analyst"));
    expect(record.caller_id).toBe(await sysIdOf("sys_user", "user_name=mona.manager"));
    expect(record.assignment_group).toBe(await sysIdOf("sys_user_group", "name=Cloud Security Operations"));
  });

  test("a user name still wins over a display name, and a picked sys_id is taken as is", async () => {
    const twin2 = await sysIdOf("sys_user", `user_name=pat.twin2.${tag}`);
    const res = await createTicket({ assignedTo: `pat.twin1.${tag}`, callerId: twin2 });
    expect(res.status).toBe(201);
    const record = await snRecord("incident", (await db().ticket.findUniqueOrThrow({ where: { id: res.body.tickets[0]!.id } })).sysId);
    expect(record.assigned_to).toBe(await sysIdOf("sys_user", `user_name=pat.twin1.${tag}`));
    expect(record.caller_id).toBe(twin2);
  });

  test("a display name two people share, or two groups: 422 naming the field and the ambiguity, nothing created", async () => {
    const before = nextFinding;
    const person = await createTicket({ assignedTo: `Pat Twin${tag}` });
    expect(person.status).toBe(422);
    expect(person.body.errors).toEqual([
      {
        path: "body.assignedTo",
        message: `Assignee "Pat Twin${tag}" is ambiguous: 2 active ServiceNow users match it; choose one by user name or e-mail`,
      },
    ]);
    const caller = await createTicket({ callerId: `pat twin${tag}` });
    expect(caller.body.errors).toEqual([
      { path: "body.callerId", message: expect.stringContaining("is ambiguous: 2 active ServiceNow users") },
    ]);
    const group = await createTicket({ assignmentGroup: `Twin Team ${tag}` });
    expect(group.status).toBe(422);
    expect(group.body.errors).toEqual([
      { path: "body.assignmentGroup", message: expect.stringContaining(`"Twin Team ${tag}" is ambiguous: 2 active ServiceNow groups`) },
    ]);
    const findingIds = suite.world.unhealthy.slice(before, nextFinding).map((f) => f.id);
    expect(await db().ticketLink.count({ where: { findingId: { in: findingIds } } })).toBe(0);
  });

  test("unknown or inactive people: 422 saying no active user has that name", async () => {
    const unknown = await createTicket({ assignedTo: "Nobody At All" });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors![0]).toEqual({
      path: "body.assignedTo",
      message: 'Unknown assignee "Nobody At All": no active ServiceNow user with that user name, e-mail, display name or sys_id',
    });
    const inactive = await createTicket({ assignedTo: `gone.${tag}` });
    expect(inactive.status).toBe(422);
    expect(inactive.body.errors![0]!.path).toBe("body.assignedTo");
  });
});
