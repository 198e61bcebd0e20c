// The sync path on both ServiceNow instance profiles (emulators/servicenow/profiles.ts): on the
// `customized` instance a data policy makes incident.category and incident.u_business_service mandatory
// and an hourly REST rate-limit rule answers with X-RateLimit-* headers. An admin sets the connection's
// field defaults before tickets can be created there; a full sync then resolves a remediated incident
// (read back from ServiceNow) and reopens it on regression without tripping the data policy or the rate
// limit; a close made in ServiceNow arrives by webhook and a targeted sync applies it; a record that
// breaks a data policy added later fails visibly (partial run, error event) and is resolved once fixed.
import { beforeAll, describe, expect, test } from "vitest";
import { SERVICENOW_TEST_PROFILES } from "@/emulators/servicenow/testing";
import { db } from "@/lib/db";
import { type TServiceNowConnectionDto } from "@/lib/schemas/connections";
import { call, signedInUser } from "@/test/app";
import { syncWorldSuite } from "@/test/integration";
import * as connectionRoute from "@/app/api/connections/[id]/route";
import * as webhookRoute from "@/app/api/webhooks/servicenow/[connectionId]/route";
import { eventsOf, runQueued, startWebhookReceiver, syncNow, ticketFor } from "@/lib/sync/testing";

const SECRET = "webhook-secret-for-the-profile-tests-0123456789";

type CounterRow = { method: string; route: string; status: number; count: number };

describe.each(SERVICENOW_TEST_PROFILES)("sync on the %s instance", (profile) => {
  // Each profile has its own database: both emulator sets serve the same Entra directory.
  const suite = syncWorldSuite({
    emulators: { seed: 42, size: "small", servicenowProfile: profile },
    connection: { webhookSecret: SECRET },
    timeoutMs: 120_000,
  });
  const { take } = suite;
  let admin: string;
  const incident = (findingIds: string[]) =>
    ticketFor({ connectionId: suite.world.connection.id, type: "incident", findingIds, grouping: "single" });

  beforeAll(async () => {
    admin = (await signedInUser("ADMIN")).cookie;
  });

  test(
    profile === "customized"
      ? "tickets are refused until an admin sets field defaults for the data-policy fields"
      : "tickets need no field defaults",
    async () => {
      const [f] = take(1);
      if (profile === "baseline") {
        const ticket = await incident([f!.id]);
        expect((await suite.sn.record("incident", ticket.sysId)).state).toBe("1");
        return;
      }
      await expect(incident([f!.id])).rejects.toMatchObject({ code: "VALIDATION", message: expect.stringContaining("u_business_service") });
      expect(await db().ticket.count({ where: { connectionId: suite.world.connection.id } })).toBe(0);
      const res = await call(connectionRoute.PATCH, "PATCH", `/api/connections/${suite.world.connection.id}`, {
        params: { id: suite.world.connection.id },
        body: { fieldDefaults: { incident: { category: "network", u_business_service: "Cloud platform" } } },
        cookie: admin,
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as TServiceNowConnectionDto).fieldDefaults).toEqual({
        incident: { category: "network", u_business_service: "Cloud platform" },
      });
      const ticket = await incident([f!.id]);
      const record = await suite.sn.record("incident", ticket.sysId);
      expect(record).toMatchObject({ state: "1", category: "network", u_business_service: "Cloud platform" });
    },
  );

  test("remediation resolves the incident (read back), regression reopens it; no 429, no data-policy refusal", async () => {
    await suite.sn.resetCounters();
    const findings = take(2);
    const ticket = await incident(findings.map((f) => f.id));
    await suite.defender.setStatus(
      findings.map((f) => f.armId),
      "Healthy",
    );

    const run = await syncNow(suite.world.connection.id, { mode: "full" });
    expect(run.status, run.error ?? "").toBe("succeeded");
    const resolved = await suite.sn.record("incident", ticket.sysId);
    expect(resolved).toMatchObject({ state: "6", close_code: "Solution provided" });
    expect(resolved.close_notes).toMatch(/All 2 linked Defender for Cloud findings are remediated/);
    if (profile === "customized") expect(resolved).toMatchObject({ category: "network", u_business_service: "Cloud platform" });
    const row = await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(row.state).toBe("resolved");
    expect(row.rawState).toBe("6");
    const events = await eventsOf(run.id);
    expect(events.filter((e) => e.action === "resolved" && e.ticketId === ticket.id)).toHaveLength(1);
    expect(events.filter((e) => e.action === "error")).toEqual([]);

    await new Promise((r) => setTimeout(r, 1100)); // statusChangeDate has whole seconds
    await suite.defender.setStatus([findings[0]!.armId], "Unhealthy");
    const again = await syncNow(suite.world.connection.id);
    expect(again.status, again.error ?? "").toBe("succeeded");
    const reopened = await suite.sn.record("incident", ticket.sysId);
    expect(reopened).toMatchObject({ state: "2", reopen_count: "1" });
    expect((await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } })).state).toBe("open");
    expect((await eventsOf(again.id)).filter((e) => e.action === "reopened" && e.ticketId === ticket.id)).toHaveLength(1);

    const served = (await suite.emu.control<{ value: CounterRow[] }>("servicenow", "GET", "/_emulator/counters?emulator=servicenow")).body
      .value;
    expect(served.filter((r) => r.status === 429 || r.status === 403)).toEqual([]);
    expect(served.some((r) => r.method === "PATCH" && r.status === 200)).toBe(true);

    // The rate-limit rule is in force on the customized instance (and only there), on the sync's own user.
    const probe = await suite.sn.probeRateLimit("incident");
    expect(probe.status).toBe(200);
    expect(probe.limit).toBe(profile === "customized" ? "20000" : null);
  });

  test("a close in ServiceNow arrives by webhook and the targeted sync applies it (drift: still unhealthy in Defender)", async () => {
    const [f] = take(1);
    const ticket = await incident([f!.id]);
    const answers: number[] = [];
    const receiver = await startWebhookReceiver(webhookRoute.POST, (status) => answers.push(status));
    try {
      expect(
        (
          await suite.emu.control("servicenow", "PUT", "/_emulator/webhook", {
            url: receiver.url(suite.world.connection.id),
            secret: SECRET,
            tables: ["incident"],
          })
        ).status,
      ).toBe(200);
      await suite.sn.changeAsUser("incident", ticket.sysId, {
        state: "7",
        close_code: "Solution provided",
        close_notes: "Closed by the service desk",
      });
      const started = Date.now();
      while (answers.length === 0 && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 20));
      expect(answers).toEqual([202]);
      const run = await db().syncRun.findFirstOrThrow({
        where: { connectionId: suite.world.connection.id, kind: "targeted_sync", targetSysId: ticket.sysId },
      });
      expect(run.trigger).toBe("webhook");
      await runQueued(suite.world.connection.id);
      expect((await db().syncRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("succeeded");
      const row = await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } });
      expect(row.state).toBe("closed");
      expect(row.isDrift).toBe(true);
    } finally {
      await suite.emu.control("servicenow", "DELETE", "/_emulator/webhook");
      await receiver.stop();
    }
  });

  if (profile === "customized") {
    test("a record that breaks a data policy added after it was created: the resolve fails visibly, then succeeds once fixed in ServiceNow", async () => {
      const [f] = take(1);
      const ticket = await incident([f!.id]);
      // The record predates the policy: an admin switches it off, a user clears the field, the policy is back.
      const policy = (
        await suite.emu.control<{ result: Array<Record<string, string>> }>(
          "servicenow",
          "GET",
          `/_emulator/records/sys_data_policy2?sysparm_query=${encodeURIComponent("model_table=incident")}`,
        )
      ).body.result[0]!;
      const toggle = async (active: string) =>
        expect(
          (await suite.emu.control("servicenow", "PATCH", `/_emulator/records/sys_data_policy2/${policy.sys_id}`, { fields: { active } }))
            .status,
        ).toBe(200);
      await toggle("false");
      await suite.sn.changeAsUser("incident", ticket.sysId, { u_business_service: "" });
      await toggle("true");
      await suite.defender.setStatus([f!.armId], "Healthy");

      const run = await syncNow(suite.world.connection.id);
      expect(run.status, run.error ?? "").toBe("partial");
      const error = (await eventsOf(run.id)).find((e) => e.action === "error" && e.ticketId === ticket.id);
      expect(error?.message).toMatch(/Data Policy Exception/);
      expect(error?.message).toMatch(/Business service/);
      expect((await suite.sn.record("incident", ticket.sysId)).state).toBe("1");
      expect((await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } })).state).toBe("open");

      await suite.sn.changeAsUser("incident", ticket.sysId, { u_business_service: "Payments" });
      const fixed = await syncNow(suite.world.connection.id);
      expect(fixed.status, fixed.error ?? "").toBe("succeeded");
      expect((await suite.sn.record("incident", ticket.sysId)).state).toBe("6");
      expect((await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } })).state).toBe("resolved");
    });
  }
});
