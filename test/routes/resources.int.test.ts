// One page per resource and secure score by control, through the route handlers against a tenant
// ingested from the ARM emulator: every finding of a resource with its tickets and a link to the
// resource's own portal blade; the controls with points and their recommendations (from
// secureScoreControls?$expand=definition); bad ids are 4xx, never 500.
import { beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { type TResourceDetail } from "@/lib/schemas/resources";
import { type TScoreControls } from "@/lib/schemas/score-controls";
import { type TCreatedTicket } from "@/lib/schemas/tickets";
import { call, signedInUser } from "@/test/app";
import { findingsWorldSuite } from "@/test/integration";
import * as resourceRoute from "@/app/api/resources/[...id]/route";
import * as scoreControlsRoute from "@/app/api/compliance/score-controls/route";
import * as ticketsRoute from "@/app/api/tickets/route";

const suite = findingsWorldSuite();
let manager: string;
let analyst: string;
let noRole: string;

const segments = (resourceId: string) => resourceId.replace(/^\//, "").split("/");
async function getResource(resourceId: string, cookie = manager) {
  const res = await call(resourceRoute.GET, "GET", `/api/resources${resourceId}`, {
    params: { id: segments(resourceId) } as unknown as Record<string, string>,
    cookie,
  });
  return { status: res.status, body: (await res.json()) as TResourceDetail & { detail?: string } };
}
async function getControls(query: Record<string, string> = {}, cookie = manager) {
  const res = await call(scoreControlsRoute.GET, "GET", "/api/compliance/score-controls", { query, cookie });
  return { status: res.status, body: (await res.json()) as TScoreControls & { detail?: string } };
}

beforeAll(async () => {
  manager = (await signedInUser("MANAGER")).cookie;
  analyst = (await signedInUser("ANALYST")).cookie;
  noRole = (await signedInUser(null)).cookie;
});

describe("GET /api/resources/{resource id}", () => {
  test("returns every current finding of the resource with its tickets, counts, tags and the resource's own portal blade", async () => {
    const target = suite.world.unhealthy[0]!;
    const created = await call(ticketsRoute.POST, "POST", "/api/tickets", {
      body: { connectionId: suite.connection.id, type: "incident", findingIds: [target.id] },
      cookie: analyst,
    });
    expect(created.status).toBe(201);
    const ticket = ((await created.json()) as { tickets: TCreatedTicket[] }).tickets[0]!;

    const res = await getResource(target.resourceId);
    expect(res.status).toBe(200);
    const expected = await db().finding.findMany({
      where: { resourceId: target.resourceId, removedAt: null },
      select: { id: true, status: true },
    });
    expect(res.body.findings.map((f) => f.id).sort()).toEqual(expected.map((f) => f.id).sort());
    // Unhealthy first.
    const statuses = res.body.findings.map((f) => f.status);
    expect(statuses.indexOf("Unhealthy")).toBe(0);
    expect(res.body.findings.find((f) => f.id === target.id)!.tickets.map((t) => t.id)).toEqual([ticket.id]);
    expect(res.body.counts.withTicket).toBeGreaterThanOrEqual(1);
    expect(res.body.counts.High + res.body.counts.Medium + res.body.counts.Low).toBe(
      expected.filter((f) => f.status === "Unhealthy").length,
    );
    expect(res.body.tenant.directoryId).toBe(suite.emu.manifest.tenantId);
    expect(res.body.portalUrl).toBe(`https://portal.azure.com/#@${suite.emu.manifest.tenantId}/resource${target.resourceId}`);
    expect(res.body.resourceId).toBe(target.resourceId);
  });

  test("finds the resource whatever the case of its id (ARM ids are case-insensitive)", async () => {
    const target = suite.world.unhealthy[1]!;
    const res = await getResource(target.resourceId.toUpperCase().replace("/SUBSCRIPTIONS/", "/subscriptions/"));
    expect(res.status).toBe(200);
    expect(res.body.resourceId).toBe(target.resourceId);
  });

  test("answers 404 for an unknown resource, 422 for something that is not a resource id, and checks the role", async () => {
    const unknown = await getResource(
      "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/none/providers/Microsoft.Compute/virtualMachines/none",
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toMatch(/nothing about this resource/);
    const bad = await call(resourceRoute.GET, "GET", "/api/resources/providers/x", {
      params: { id: ["providers", "x"] } as unknown as Record<string, string>,
      cookie: manager,
    });
    expect(bad.status).toBe(422);
    const none = await call(resourceRoute.GET, "GET", "/api/resources", { params: {}, cookie: manager });
    expect(none.status).toBe(422);
    expect((await getResource(suite.world.unhealthy[0]!.resourceId, noRole)).status).toBe(403);
  });
});

describe("GET /api/compliance/score-controls", () => {
  test("lists Defender's controls with points and their recommendations, largest potential increase first", async () => {
    const res = await getControls();
    expect(res.status).toBe(200);
    const controls = res.body.controls;
    const stored = await db().secureScoreControl.findMany();
    expect(controls.length).toBe(new Set(stored.map((c) => c.controlName)).size);
    // Ingestion stored the recommendation keys of each control's definition.
    expect(stored.some((c) => c.assessmentKeys.length > 0)).toBe(true);
    const increases = controls.map((c) => c.potentialIncrease);
    expect([...increases].sort((a, b) => b - a)).toEqual(increases);
    for (const c of controls) expect(c.current).toBeLessThanOrEqual(c.max + 1e-9);

    // A control's recommendations carry the unhealthy findings of that recommendation in scope.
    const withUnhealthy = controls.flatMap((c) => c.recommendations).find((r) => r.unhealthyFindings > 0)!;
    expect(withUnhealthy).toBeDefined();
    const count = await db().finding.count({ where: { recommendationKey: withUnhealthy.key, status: "Unhealthy", removedAt: null } });
    expect(withUnhealthy.unhealthyFindings).toBe(count);
  });

  test("narrows to one subscription, refuses a malformed one (422), and needs the manager role", async () => {
    const subscriptionId = suite.emu.manifest.arm.subscriptionIds[0]!.toLowerCase();
    const all = await getControls();
    const one = await getControls({ subscriptionId });
    expect(one.status).toBe(200);
    expect(one.body.subscriptionId).toBe(subscriptionId);
    const sum = (x: TScoreControls) => x.controls.reduce((s, c) => s + c.max, 0);
    expect(sum(one.body)).toBeLessThanOrEqual(sum(all.body));
    expect((await getControls({ subscriptionId: "not-a-guid" })).status).toBe(422);
    expect((await getControls({ nope: "1" })).status).toBe(422);
    expect((await getControls({}, noRole)).status).toBe(403);
  });
});
