// Conformance: writes through PostureDesk's ServiceNow client — numbers and computed priority, journal
// fields, state models and data policies, input display values, PUT/DELETE, ACLs and error mapping.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type ServiceNowTarget, startServiceNowForTests } from "@/emulators/servicenow/testing";
import { rejection } from "@/test/app";
import { createServiceNowClient, type ServiceNowClient } from "./client";
import { parseServiceNowDateTime } from "./dates";
import { q } from "./query";
import { cellValue } from "./records";

let sn: ServiceNowTarget;
let client: ServiceNowClient;
const prefix = `posturedesk:writes-${randomUUID().slice(0, 8)}:`;

const clientAs = (username: string, password: string) =>
  createServiceNowClient({ instanceUrl: sn.url, auth: { type: "basic", username, password }, retryBaseDelayMs: 20 });
const other = (name: string) => sn.otherUsers.find((u) => u.username === name)!;
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString("base64")}`;

beforeAll(async () => {
  sn = await startServiceNowForTests();
  client = clientAs(sn.username, sn.password);
});

afterAll(async () => {
  await sn?.stop();
});

describe("create and journal", () => {
  test("numbers the record, computes priority from impact × urgency and stamps it", async () => {
    const created = await client.create("incident", {
      short_description: "Priority check",
      impact: 2,
      urgency: 1,
      priority: 5,
      correlation_id: `${prefix}p`,
    });
    expect(cellValue(created.number)).toMatch(/^INC\d{7}$/);
    expect(cellValue(created.sys_id)).toMatch(/^[0-9a-f]{32}$/);
    expect(cellValue(created.priority)).toBe("2");
    expect(cellValue(created.state)).toBe("1");
    expect(cellValue(created.sys_mod_count)).toBe("0");
    expect(parseServiceNowDateTime(cellValue(created.sys_created_on))).not.toBeNull();
    const problem = await client.create("problem", { short_description: "Problem numbering" });
    expect(cellValue(problem.number)).toMatch(/^PRB\d{7}$/);
    const change = await client.create("change_request", { short_description: "Change numbering" });
    expect(cellValue(change.number)).toMatch(/^CHG\d{7}$/);
    expect(cellValue(change.state)).toBe("-5");
  });

  test("work notes are journal entries: empty as a value, the journal as a display value", async () => {
    const created = await client.create("incident", {
      short_description: "Journal",
      work_notes: "First note",
      correlation_id: `${prefix}j`,
    });
    expect(cellValue(created.work_notes)).toBe("");
    const sysId = cellValue(created.sys_id);
    const updated = await client.update("incident", sysId, { work_notes: "Second note" });
    expect(cellValue(updated.sys_mod_count)).toBe("1");
    const shown = (await client.get("incident", sysId, { displayValue: true, fields: ["work_notes"] }))!;
    const journal = cellValue(shown.work_notes);
    expect(journal.indexOf("Second note")).toBeLessThan(journal.indexOf("First note"));
    expect(journal).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} - PostureDesk Integration \(Work notes\)\nSecond note\n\n/);
    const entries = await client.list("sys_journal_field", { query: q().eq("element_id", sysId).orderBy("sys_created_on") });
    expect(entries.records.map((e) => [cellValue(e.element), cellValue(e.value)])).toEqual([
      ["work_notes", "First note"],
      ["work_notes", "Second note"],
    ]);
  });

  test("an update that changes nothing is not an update", async () => {
    const created = await client.create("incident", { short_description: "Same", correlation_id: `${prefix}same` });
    const again = await client.update("incident", cellValue(created.sys_id), { short_description: "Same" });
    expect(cellValue(again.sys_mod_count)).toBe("0");
  });
});

describe("state models and data policies", () => {
  test("resolving an incident needs close_code and close_notes (403 with ServiceNow's message)", async () => {
    const created = await client.create("incident", { short_description: "To resolve", correlation_id: `${prefix}r` });
    const sysId = cellValue(created.sys_id);
    const error = await rejection(client.update("incident", sysId, { state: 6 }));
    expect(error.code).toBe("UPSTREAM_FORBIDDEN");
    expect(error.userMessage).toContain("Data Policy Exception");
    expect(error.userMessage).toContain("Resolution code, Resolution notes");
    expect(error.details).toMatchObject({ status: 403, serviceNowMessage: "Operation Failed" });

    const resolved = await client.update("incident", sysId, {
      state: 6,
      close_code: "Solution provided",
      close_notes: "Remediated in Azure",
    });
    expect([cellValue(resolved.state), cellValue(resolved.active)]).toEqual(["6", "true"]);
    expect(cellValue(resolved.resolved_at)).not.toBe("");
    const reopened = await client.update("incident", sysId, { state: 2, work_notes: "Finding unhealthy again" });
    expect([cellValue(reopened.state), cellValue(reopened.resolved_at), cellValue(reopened.reopen_count)]).toEqual(["2", "", "1"]);
    const closed = await client.update("incident", sysId, { state: 7, close_code: "Solution provided", close_notes: "Done" });
    expect([cellValue(closed.active), cellValue(closed.incident_state)]).toEqual(["false", "7"]);
    // Closed incidents are read-only, except for journal entries.
    expect((await rejection(client.update("incident", sysId, { short_description: "Changed" }))).code).toBe("UPSTREAM_FORBIDDEN");
    await client.update("incident", sysId, { work_notes: "Still allowed" });
  });

  test("a problem's state is not written through the Table API (Rome+: 200, unchanged); on hold incidents need a reason", async () => {
    const problem = await client.create("problem", { short_description: "Problem" });
    const answered = await client.update("problem", cellValue(problem.sys_id), {
      state: 106,
      resolution_code: "fix_applied",
      close_notes: "Fixed",
    });
    expect(cellValue(answered.state)).toBe("101");
    expect(cellValue(answered.close_notes)).toBe("Fixed");
    const incident = await client.create("incident", { short_description: "Hold" });
    expect((await rejection(client.update("incident", cellValue(incident.sys_id), { state: 3 }))).userMessage).toContain("On hold reason");
  });

  test("change requests follow their type's state model", async () => {
    const normal = await client.create("change_request", { short_description: "Normal change", type: "normal" });
    const id = cellValue(normal.sys_id);
    expect((await rejection(client.update("change_request", id, { state: -1 }))).userMessage).toContain("Invalid state transition");
    for (const state of [-4, -3, -2, -1, 0])
      expect(cellValue((await client.update("change_request", id, { state })).state)).toBe(String(state));
    expect((await rejection(client.update("change_request", id, { state: 3 }))).userMessage).toContain("Close code");
    const closed = await client.update("change_request", id, { state: 3, close_code: "successful", close_notes: "Implemented" });
    expect(cellValue(closed.active)).toBe("false");

    const standard = await client.create("change_request", { short_description: "Standard change", type: "standard" });
    expect(cellValue((await client.update("change_request", cellValue(standard.sys_id), { state: -2 })).state)).toBe("-2");
    const emergency = await client.create("change_request", { short_description: "Emergency change", type: "emergency" });
    expect(cellValue((await client.update("change_request", cellValue(emergency.sys_id), { state: 4 })).state)).toBe("4");
  });
});

describe("input display values", () => {
  test("choice labels and reference display names are accepted and stored as values", async () => {
    const group = (await client.list("sys_user_group", { limit: 1, query: q().orderBy("name") })).records[0]!;
    const created = await client.create(
      "incident",
      {
        short_description: "By labels",
        impact: "1 - High",
        urgency: "2 - Medium",
        assignment_group: cellValue(group.name),
        correlation_id: `${prefix}labels`,
      },
      { inputDisplayValue: true },
    );
    expect([cellValue(created.impact), cellValue(created.urgency), cellValue(created.priority)]).toEqual(["1", "2", "2"]);
    expect(cellValue(created.assignment_group)).toBe(cellValue(group.sys_id));
    const updated = await client.update("incident", cellValue(created.sys_id), { state: "In Progress" }, { inputDisplayValue: true });
    expect(cellValue(updated.state)).toBe("2");
  });
});

describe("PUT, DELETE and the raw wire", () => {
  test("PUT updates like PATCH; DELETE needs a role that may delete", async () => {
    const created = await client.create("incident", { short_description: "Put me", correlation_id: `${prefix}put` });
    const url = `${sn.url}/api/now/v2/table/incident/${cellValue(created.sys_id)}`;
    const auth = basic(sn.username, sn.password);
    const put = await fetch(url, {
      method: "PUT",
      headers: { authorization: auth, "content-type": "application/json" },
      body: JSON.stringify({ urgency: "1" }),
    });
    expect(put.status).toBe(200);
    expect((await put.json()).result).toMatchObject({ urgency: "1", short_description: "Put me", priority: "3" });
    const denied = await fetch(url, { method: "DELETE", headers: { authorization: auth } });
    expect(denied.status).toBe(403);
    const admin = other("admin");
    const deleted = await fetch(url, { method: "DELETE", headers: { authorization: basic(admin.username, admin.password) } });
    expect(deleted.status).toBe(204);
    expect(await client.get("incident", cellValue(created.sys_id))).toBeNull();
    const missing = await fetch(url, { headers: { authorization: auth } });
    expect([missing.status, (await missing.json()).error.message]).toEqual([404, "No Record found"]);
  });

  test("bad table and malformed JSON answer 400 in ServiceNow's error shape", async () => {
    const auth = basic(sn.username, sn.password);
    const table = await fetch(`${sn.url}/api/now/table/not_a_table`, { headers: { authorization: auth } });
    expect([table.status, await table.json()]).toEqual([
      400,
      { error: { message: "Invalid table not_a_table", detail: null }, status: "failure" },
    ]);
    const json = await fetch(`${sn.url}/api/now/table/incident`, {
      method: "POST",
      headers: { authorization: auth, "content-type": "application/json" },
      body: "{not json",
    });
    expect(json.status).toBe(400);
    expect((await json.json()).error.message).toBe("Exception while reading request");
  });
});

describe("authentication and ACLs", () => {
  test("wrong password → UPSTREAM_AUTH; the instance answers 401 with its message", async () => {
    const error = await rejection(clientAs(sn.username, "wrong").list("incident", { limit: 1 }));
    expect(error.code).toBe("UPSTREAM_AUTH");
    expect(error.userMessage).toContain("User Not Authenticated");
    expect(error.message).not.toContain("wrong");
  });

  test("a user without CC roles gets 403 on the vulc tables; a read-only user cannot write", async () => {
    const itsm = other("posturedesk.itsm");
    expect((await rejection(clientAs(itsm.username, itsm.password).list("sn_vulc_result", { limit: 1 }))).code).toBe("UPSTREAM_FORBIDDEN");
    await clientAs(itsm.username, itsm.password).list("incident", { limit: 1 });
    const readonly = other("posturedesk.readonly");
    const ro = clientAs(readonly.username, readonly.password);
    await ro.list("sn_vulc_result", { limit: 1 });
    const error = await rejection(ro.create("incident", { short_description: "Nope" }));
    expect([error.code, error.userMessage]).toEqual([
      "UPSTREAM_FORBIDDEN",
      "ServiceNow: Operation Failed: ACL Exception Insert Failed due to security constraints",
    ]);
  });
});

describe("Configuration Compliance is read only", () => {
  test("creating, updating or deleting an sn_vulc record is refused before any request is sent", async () => {
    const sent: string[] = [];
    const client = createServiceNowClient({
      instanceUrl: sn.url,
      auth: { type: "basic", username: sn.username, password: sn.password },
      onRequest: (info) => sent.push(info.path),
    });
    for (const attempt of [
      client.create("sn_vulc_result", { result: "failed" }),
      client.update("sn_vulc_result_group", "0".repeat(32), { state: "3" }),
      client.remove("sn_vulc_m2m_result_result_group", "0".repeat(32)),
    ]) {
      const error = await rejection(attempt);
      expect([error.code, error.message]).toEqual(["INTERNAL", expect.stringContaining("never writes Configuration Compliance tables")]);
    }
    expect(sent).toEqual([]);
    // Reading stays possible.
    await client.list("sn_vulc_result", { limit: 1 });
    expect(sent.length).toBe(1);
  });
});

describe("control API", () => {
  test("changes a ticket as a ServiceNow user would, through the same business rules", async () => {
    const created = await client.create("incident", { short_description: "Agent works it", correlation_id: `${prefix}agent` });
    const sysId = cellValue(created.sys_id);
    const person = (
      await client.list("sys_user", { query: q().notIn("user_name", ["admin"]).notLike("user_name", "posturedesk"), limit: 1 })
    ).records[0]!;
    const refused = await sn.control<{ error: { details: string } }>("PATCH", `/_emulator/records/incident/${sysId}`, {
      fields: { state: 6 },
      user: cellValue(person.user_name),
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.details).toContain("Resolution code");
    const changed = await sn.control<{ result: Record<string, string>; changed: string[] }>(
      "PATCH",
      `/_emulator/records/incident/${sysId}`,
      {
        fields: { state: 2, assigned_to: cellValue(person.sys_id), work_notes: "Looking into it" },
        user: cellValue(person.user_name),
      },
    );
    expect(changed.status).toBe(200);
    expect(changed.body.changed).toEqual(expect.arrayContaining(["state", "assigned_to", "work_notes"]));
    const seen = (await client.get("incident", sysId))!;
    expect([cellValue(seen.state), cellValue(seen.sys_updated_by), cellValue(seen.assigned_to)]).toEqual([
      "2",
      cellValue(person.user_name),
      cellValue(person.sys_id),
    ]);
  });
});
