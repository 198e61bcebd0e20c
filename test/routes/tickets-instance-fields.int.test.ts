// Tickets on a real-looking instance, against both emulator profiles: the schema API reports what the
// instance enforces, field defaults are validated against it and land in the ServiceNow record, and a
// ticket that would miss a mandatory field is refused with 422 naming each one BEFORE any call to
// ServiceNow (the emulator's request counters prove it). A user who may not read the dictionary or the
// data policies learns the mandatory fields from ServiceNow's own 403 "Data Policy Exception".
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { SERVICENOW_TEST_PROFILES, type ServiceNowTarget, startServiceNowForTests, withServiceNow } from "@/emulators/servicenow/testing";
import { db } from "@/lib/db";
import { type TServiceNowConnectionDto } from "@/lib/schemas/connections";
import { type TTableSchema } from "@/lib/schemas/instance-schema";
import { type TCreatedTicket } from "@/lib/schemas/tickets";
import { call, signedInUser } from "@/test/app";
import { picker, integrationSuite } from "@/test/integration";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as connectionRoute from "@/app/api/connections/[id]/route";
import * as schemaRoute from "@/app/api/connections/[id]/schema/route";
import * as testRoute from "@/app/api/connections/[id]/test/route";
import { ruleActor } from "@/lib/rules/apply";
import { createTickets } from "@/lib/tickets/create";
import { emulatorConnection, seedFindingsFromEmulator } from "@/lib/tickets/testing";

const suite = integrationSuite({ timeoutMs: 120_000 }, async ({ emu }) => ({ world: await seedFindingsFromEmulator(emu.manifest) }));
const take = picker(() => suite.world.unhealthy);
const instances: Partial<Record<string, ServiceNowTarget>> = {};
const connections: Partial<Record<string, TServiceNowConnectionDto>> = {};
let analyst: string;
let manager: string;
let admin: string;

type Problem = { detail?: string; errors?: Array<{ path: string; message: string }>; tickets?: TCreatedTicket[] };

async function schema(connectionId: string, table = "incident", cookie = analyst) {
  const res = await call(schemaRoute.GET, "GET", `/api/connections/${connectionId}/schema`, {
    params: { id: connectionId },
    query: { table },
    cookie,
  });
  return { status: res.status, body: (await res.json()) as TTableSchema & Problem };
}
async function patch(connectionId: string, body: unknown) {
  const res = await call(connectionRoute.PATCH, "PATCH", `/api/connections/${connectionId}`, {
    params: { id: connectionId },
    body,
    cookie: admin,
  });
  return { status: res.status, body: (await res.json()) as TServiceNowConnectionDto & Problem };
}
async function createTicket(body: Record<string, unknown>) {
  const res = await call(ticketsRoute.POST, "POST", "/api/tickets", {
    body: { type: "incident", grouping: "single", ...body },
    cookie: analyst,
  });
  return { status: res.status, body: (await res.json()) as Problem };
}
async function serviceNowRequests(target: ServiceNowTarget): Promise<number> {
  const r = await target.control<{ total: number }>("GET", "/_emulator/counters?emulator=servicenow");
  return r.body.total;
}
async function incidentWrites(target: ServiceNowTarget): Promise<number> {
  const r = await target.control<{ total: number }>("GET", "/_emulator/counters?emulator=servicenow&method=POST");
  return r.body.total;
}
async function record(target: ServiceNowTarget, sysId: string) {
  const r = await target.control<{ result: Record<string, string> }>("GET", `/_emulator/records/incident/${sysId}`);
  return r.body.result;
}

beforeAll(async () => {
  for (const profile of SERVICENOW_TEST_PROFILES) {
    const target = await startServiceNowForTests({ profile });
    instances[profile] = target;
    connections[profile] = await emulatorConnection(withServiceNow(suite.emu.manifest, target));
  }
  analyst = (await signedInUser("ANALYST")).cookie;
  manager = (await signedInUser("MANAGER")).cookie;
  admin = (await signedInUser("ADMIN")).cookie;
}, 120_000);

afterAll(async () => {
  await Promise.all(Object.values(instances).map((i) => i?.stop()));
});

describe.each(SERVICENOW_TEST_PROFILES)("GET /api/connections/{id}/schema – %s instance", (profile) => {
  test("reports the dictionary, choices and what is enforced on REST inserts", async () => {
    const res = await schema(connections[profile]!.id);
    expect(res.status).toBe(200);
    const byName = new Map(res.body.fields.map((f) => [f.name, f]));
    expect(res.body.table).toBe("incident");
    expect(Date.parse(res.body.discoveredAt)).not.toBeNaN();
    // caller_id is dictionary-mandatory: shown with its source, never enforced.
    expect(byName.get("caller_id")).toMatchObject({
      mandatory: true,
      mandatorySource: "dictionary",
      type: "reference",
      reference: "sys_user",
    });
    expect(byName.get("short_description")).toMatchObject({ label: "Short description", mandatorySource: "dictionary" });
    expect(byName.get("category")?.choices).toContainEqual({ value: "network", label: "Network" });
    expect(byName.get("close_code")?.choices?.map((c) => c.value)).toContain("Solution provided");
    expect(byName.get("close_code")?.choices?.map((c) => c.value)).not.toContain("Solved (Permanently)");
    if (profile === "customized") {
      expect(byName.get("category")).toMatchObject({ mandatory: true, mandatorySource: "data_policy" });
      expect(byName.get("u_business_service")).toMatchObject({
        label: "Business service",
        type: "string",
        mandatory: true,
        mandatorySource: "data_policy",
      });
      expect(
        res.body.fields
          .slice(0, 2)
          .map((f) => f.name)
          .sort(),
      ).toEqual(["category", "u_business_service"]);
    } else {
      expect(byName.get("category")).toMatchObject({ mandatory: false, mandatorySource: null });
      expect(byName.has("u_business_service")).toBe(false);
    }
    expect(res.body.notes).toEqual([]);
  });

  test("analysts and admins may read it, managers may not; an unknown table is a 422", async () => {
    expect((await schema(connections[profile]!.id, "incident", admin)).status).toBe(200);
    expect((await schema(connections[profile]!.id, "incident", manager)).status).toBe(403);
    expect((await schema(connections[profile]!.id, "sys_user")).status).toBe(422);
  });
});

describe.each(SERVICENOW_TEST_PROFILES)("creating an incident – %s instance", (profile) => {
  test(
    profile === "customized"
      ? "refused with 422 naming category and u_business_service, with no call to ServiceNow"
      : "created without instance fields",
    async () => {
      const target = instances[profile]!;
      await schema(connections[profile]!.id); // discovered (a Test connection does the same)
      // Only the private customized instance's counters are reset: the shared baseline's belong to other files too.
      if (profile === "customized") await target.control("POST", "/_emulator/counters/reset");
      const findings = take(1);
      const res = await createTicket({ connectionId: connections[profile]!.id, findingIds: findings.map((f) => f.id) });
      if (profile === "baseline") {
        expect(res.status).toBe(201);
        return;
      }
      expect(res.status).toBe(422);
      expect(res.body.detail).toContain("category (Category)");
      expect(res.body.detail).toContain("u_business_service (Business service)");
      expect(res.body.errors?.map((e) => e.path).sort()).toEqual(["body.fields.category", "body.fields.u_business_service"]);
      expect(await serviceNowRequests(target)).toBe(0);
      expect(await db().ticket.count({ where: { connectionId: connections[profile]!.id } })).toBe(0);
    },
  );

  test("field defaults: an unknown field or a value outside the choices is a 422 naming the field", async () => {
    const id = connections[profile]!.id;
    const unknown = await patch(id, { fieldDefaults: { incident: { u_cost_center: "CC-1" } } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([
      { path: "body.fieldDefaults.incident.u_cost_center", message: expect.stringContaining('no field "u_cost_center"') },
    ]);
    const badChoice = await patch(id, { fieldDefaults: { incident: { category: "printers" } } });
    expect(badChoice.status).toBe(422);
    expect(badChoice.body.errors?.[0]).toMatchObject({
      path: "body.fieldDefaults.incident.category",
      message: expect.stringContaining("must be one of the instance's choices"),
    });
    const badTemplate = await patch(id, { fieldDefaults: { incident: { description: "x", close_notes: "{{resource.name}}" } } });
    expect(badTemplate.status).toBe(422);
    expect(badTemplate.body.errors?.map((e) => e.path).sort()).toEqual([
      "body.fieldDefaults.incident.close_notes",
      "body.fieldDefaults.incident.description",
    ]);
    const badCloseCode = await patch(id, { closeCode: "Solved (Permanently)" });
    expect(badCloseCode.status).toBe(422);
    expect(badCloseCode.body.errors?.[0]?.path).toBe("body.closeCode");
  });

  test("with field defaults the incident is created and the values (templates rendered) land in ServiceNow; request values win", async () => {
    const id = connections[profile]!.id;
    const defaults =
      profile === "customized"
        ? { category: "network", u_business_service: "{{subscription.name}} / {{severity}}" }
        : { category: "network" };
    const saved = await patch(id, { fieldDefaults: { incident: defaults } });
    expect(saved.status).toBe(200);
    expect(saved.body.fieldDefaults).toEqual({ incident: defaults });

    const [finding] = take(1);
    const res = await createTicket({ connectionId: id, findingIds: [finding!.id] });
    expect(res.status).toBe(201);
    const ticket = await db().ticket.findUniqueOrThrow({ where: { id: res.body.tickets![0]!.id } });
    const stored = await record(instances[profile]!, ticket.sysId);
    expect(stored.category).toBe("network");
    if (profile === "customized") {
      const f = await db().finding.findUniqueOrThrow({ where: { id: finding!.id }, include: { recommendation: true } });
      const sub = await db().subscription.findFirstOrThrow({ where: { subscriptionId: f.subscriptionId } });
      expect(stored.u_business_service).toBe(`${sub.displayName} / ${f.recommendation.severity}`);
    }

    const [other] = take(1);
    const own = await createTicket({ connectionId: id, findingIds: [other!.id], fields: { category: "software" } });
    expect(own.status).toBe(201);
    const ownTicket = await db().ticket.findUniqueOrThrow({ where: { id: own.body.tickets![0]!.id } });
    expect((await record(instances[profile]!, ownTicket.sysId)).category).toBe("software");

    const invalid = await createTicket({
      connectionId: id,
      findingIds: take(1).map((f) => f.id),
      fields: { category: "printers", u_nope: "x" },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.errors?.map((e) => e.path).sort()).toEqual(["body.fields.category", "body.fields.u_nope"]);
  });
});

describe("automation rules – customized instance", () => {
  test("a rule's ticket gets the connection's defaults; without them it is refused before ServiceNow", async () => {
    const target = instances.customized!;
    const connection = await emulatorConnection(withServiceNow(suite.emu.manifest, target));
    const actor = ruleActor({ ruleId: "00000000-0000-4000-8000-000000000001", ruleName: "High severity storage" });
    const request = (ids: string[]) => ({
      connectionId: connection.id,
      type: "incident" as const,
      findingIds: ids,
      grouping: "single" as const,
    });
    await schema(connection.id);
    const writes = await incidentWrites(target);
    await expect(createTickets(actor, request(take(1).map((f) => f.id)))).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringContaining("u_business_service"),
    });
    expect(await incidentWrites(target)).toBe(writes);

    expect(
      (
        await patch(connection.id, {
          fieldDefaults: { incident: { category: "database", u_business_service: "{{tag:owner}}{{resource.group}}" } },
        })
      ).status,
    ).toBe(200);
    const outcome = await createTickets(actor, request(take(1).map((f) => f.id)));
    const ticket = await db().ticket.findUniqueOrThrow({ where: { id: outcome.tickets[0]!.id } });
    const stored = await record(target, ticket.sysId);
    expect(stored.category).toBe("database");
    expect(stored.u_business_service).not.toBe("");
  });
});

describe("customized instance, integration user without dictionary and data-policy access", () => {
  test("Test connection says what it could not read; a 403 Data Policy Exception is learned and then refused before ServiceNow", async () => {
    const target = instances.customized!;
    const itsm = target.otherUsers.find((u) => u.username === "posturedesk.itsm")!;
    const connection = await emulatorConnection(withServiceNow(suite.emu.manifest, target), {
      username: itsm.username,
      password: itsm.password,
    });

    const tested = await call(testRoute.POST, "POST", `/api/connections/${connection.id}/test`, {
      params: { id: connection.id },
      cookie: analyst,
    });
    const steps = ((await tested.json()) as { steps: Array<{ id: string; status: string; message: string }> }).steps;
    const step = steps.find((s) => s.id === "schema")!;
    expect(step.status).toBe("warning");
    expect(step.message).toContain("sys_dictionary could not be read");
    expect(step.message).toContain("learned");

    const before = await schema(connection.id);
    expect(before.body.fields.some((f) => f.name === "u_business_service" && f.mandatory)).toBe(false);

    const writesBefore = await incidentWrites(target);
    const first = await createTicket({ connectionId: connection.id, findingIds: take(1).map((f) => f.id) });
    expect(first.status).toBe(422);
    expect(first.body.detail).toContain("Data Policy Exception");
    expect(first.body.errors?.map((e) => e.path).sort()).toEqual(["body.fields.category", "body.fields.u_business_service"]);
    expect(await incidentWrites(target)).toBe(writesBefore + 1);

    const learned = await schema(connection.id);
    const byName = new Map(learned.body.fields.map((f) => [f.name, f]));
    expect(byName.get("category")).toMatchObject({ mandatory: true, mandatorySource: "learned" });
    expect(byName.get("u_business_service")).toMatchObject({ mandatory: true, mandatorySource: "learned" });
    expect(learned.body.notes.join(" ")).toContain("Learned from ServiceNow's refusals");

    const second = await createTicket({ connectionId: connection.id, findingIds: take(1).map((f) => f.id) });
    expect(second.status).toBe(422);
    expect(await incidentWrites(target)).toBe(writesBefore + 1);

    const ok = await createTicket({
      connectionId: connection.id,
      findingIds: take(1).map((f) => f.id),
      fields: { category: "network", u_business_service: "Payments" },
    });
    expect(ok.status).toBe(201);
  });
});
