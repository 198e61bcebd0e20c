// Conformance: Configuration Compliance through PostureDesk's ServiceNow client — the Import Set API's
// synchronous transform into sn_vulc_result (coalesce, CI matching, row errors), a misconfigured
// instance, and the outbound webhook's HMAC signature.
import { createHmac, randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type ServiceNowTarget, startServiceNowForTests } from "@/emulators/servicenow/testing";
import { AppError } from "@/lib/http/errors";
import { createServiceNowClient, type ServiceNowClient } from "./client";
import { q } from "./query";
import { cellValue } from "./records";

let sn: ServiceNowTarget;
let client: ServiceNowClient;
const STAGING = "u_posturedesk_cc_import";
const source = `PostureDesk-${randomUUID().slice(0, 8)}`;
let testSysId: string;
let ci: { sysId: string; objectId: string };

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

beforeAll(async () => {
  sn = await startServiceNowForTests();
  client = createServiceNowClient({ instanceUrl: sn.url, auth: { type: "basic", username: sn.username, password: sn.password }, retryBaseDelayMs: 20 });
  const policy = await client.create("sn_vulc_policy", { name: `Defender (${source})`, source });
  const created = await client.create("sn_vulc_test", { name: `Storage accounts should restrict network access (${source})`, policy: cellValue(policy.sys_id), source, source_id: "rec-1" });
  testSysId = cellValue(created.sys_id);
  const found = (await client.list("cmdb_ci", { limit: 1, query: q().isNotEmpty("object_id").orderBy("name") })).records[0]!;
  ci = { sysId: cellValue(found.sys_id), objectId: cellValue(found.object_id) };
});

afterAll(async () => {
  await sn?.control("PUT", "/_emulator/cc", { stagingTable: STAGING, hasStagingTable: true, hasImportRole: true });
  await sn?.stop();
});

describe("Import Set API → sn_vulc_result", () => {
  const row = (id: string, result: string) => ({
    u_source: source,
    u_source_id: id,
    u_result: result,
    u_risk_rating: "High",
    u_first_found: "2025-01-02 03:04:05",
    u_last_found: "2025-02-03 04:05:06",
    u_test: testSysId,
    u_cloud_resource_id: ci.objectId.toUpperCase(),
    u_expected: "Public network access disabled",
    u_actual: "Enabled",
  });

  test("one row is transformed synchronously into a test result linked to its test and CI", async () => {
    const answer = await client.importSet(STAGING, [row("finding-1", "Failed")]);
    expect(answer).toMatchObject({ import_set: expect.stringMatching(/^ISET\d{7}$/), staging_table: STAGING });
    const [result] = answer.result!;
    expect(result).toMatchObject({ status: "inserted", table: "sn_vulc_result", display_name: "number", transform_map: "PostureDesk CC Results" });
    expect(result!.record_link).toBe(`${sn.url}/api/now/table/sn_vulc_result/${result!.sys_id}`);
    const stored = (await client.get("sn_vulc_result", result!.sys_id!))!;
    expect({
      number: cellValue(stored.number),
      result: cellValue(stored.result),
      risk: cellValue(stored.risk_rating),
      test: cellValue(stored.test),
      ci: cellValue(stored.cmdb_ci),
      last: cellValue(stored.last_found),
    }).toEqual({ number: result!.display_value, result: "failed", risk: "2", test: testSysId, ci: ci.sysId, last: "2025-02-03 04:05:06" });
  });

  test("insertMultiple coalesces on source + source id and reports each row's status", async () => {
    const answer = await client.importSet(STAGING, [
      row("finding-1", "Failed"),
      row("finding-1", "Passed"),
      row("finding-2", "Sometimes"),
      { ...row("finding-3", "Failed"), u_test: "no such test" },
      { ...row("finding-4", "Unknown"), u_cloud_resource_id: "/subscriptions/none/resourceGroups/x/providers/Microsoft.Storage/storageAccounts/ghost" },
    ]);
    const statuses = answer.result!.map((r) => r.status);
    expect(statuses).toEqual(["ignored", "updated", "error", "error", "inserted"]);
    expect(answer.result![2]!.status_message).toContain("Invalid result");
    expect(answer.result![3]!.status_message).toContain("No configuration test");
    expect(answer.result![4]!.status_message).toContain("No CI matches");
    expect(answer.result![1]!.sys_id).toBe(answer.result![0]!.sys_id);
    const results = await client.list("sn_vulc_result", { query: q().eq("source", source).orderBy("source_id") });
    expect(results.records.map((r) => [cellValue(r.source_id), cellValue(r.result)])).toEqual([
      ["finding-1", "passed"],
      ["finding-4", "unknown"],
    ]);
  });

  test("unknown staging columns are refused before sending", async () => {
    await expect(client.importSet(STAGING, [{ u_sourceid: "x" } as never])).rejects.toThrow(/Unknown import staging column/);
  });

  test("a missing staging table answers 404, a missing import role 403", async () => {
    await sn.control("PUT", "/_emulator/cc", { hasStagingTable: false });
    const missing = await rejection(client.importSet(STAGING, [row("finding-9", "Passed")]));
    expect([missing.code, missing.userMessage]).toEqual(["UPSTREAM_NOT_FOUND", `ServiceNow: Invalid staging table: Table '${STAGING}' is not an import set staging table`]);
    await sn.control("PUT", "/_emulator/cc", { hasStagingTable: true, hasImportRole: false });
    expect((await rejection(client.importSet(STAGING, [row("finding-9", "Passed")]))).code).toBe("UPSTREAM_FORBIDDEN");
    await sn.control("PUT", "/_emulator/cc", { hasImportRole: true });
    const itsm = sn.otherUsers.find((u) => u.username === "posturedesk.itsm")!;
    const itsmClient = createServiceNowClient({ instanceUrl: sn.url, auth: { type: "basic", username: itsm.username, password: itsm.password } });
    expect((await rejection(itsmClient.importSet(STAGING, [row("finding-9", "Passed")]))).code).toBe("UPSTREAM_FORBIDDEN");
  });
});

describe("outbound webhook", () => {
  type Received = { headers: IncomingHttpHeaders; body: string };
  let receiver: Server;
  let received: Received[] = [];
  let receiverUrl: string;
  const secret = `whsec-${randomUUID()}`;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/webhooks/servicenow/test`;
  });

  afterAll(async () => {
    await sn.control("DELETE", "/_emulator/webhook");
    await new Promise((resolve) => receiver.close(resolve));
  });

  async function waitFor(count: number): Promise<void> {
    for (let i = 0; i < 100 && received.length < count; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  test("an update POSTs the record, signed HMAC-SHA256(secret, timestamp.body)", async () => {
    expect((await sn.control("PUT", "/_emulator/webhook", { url: receiverUrl, secret, tables: ["incident"] })).status).toBe(200);
    received = [];
    const correlationId = `posturedesk:webhook-${randomUUID().slice(0, 8)}`;
    const created = await client.create("incident", { short_description: "Webhook", correlation_id: correlationId });
    await client.update("incident", cellValue(created.sys_id), { urgency: 1, work_notes: "Escalated" });
    await waitFor(1);
    expect(received).toHaveLength(1);
    const [delivery] = received;
    const timestamp = String(delivery!.headers["x-posturedesk-timestamp"]);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    const expected = `sha256=${createHmac("sha256", secret).update(`${timestamp}.${delivery!.body}`).digest("hex")}`;
    expect(delivery!.headers["x-posturedesk-signature"]).toBe(expected);
    const payload = JSON.parse(delivery!.body);
    expect(payload).toMatchObject({
      table: "incident",
      sys_id: cellValue(created.sys_id),
      number: cellValue(created.number),
      state: "1",
      correlation_id: correlationId,
      sys_mod_count: "1",
    });
    expect(payload.changed_fields).toEqual(expect.arrayContaining(["urgency", "priority", "work_notes"]));
    const deliveries = await sn.control<{ value: Array<{ status: number; sys_id: string }> }>("GET", "/_emulator/webhook/deliveries");
    expect(deliveries.body.value.at(-1)).toMatchObject({ status: 202, sys_id: cellValue(created.sys_id) });
  });

  test("a change made through the control API fires it too; a table not configured does not", async () => {
    received = [];
    const created = await client.create("incident", { short_description: "Agent" });
    await sn.control("PATCH", `/_emulator/records/incident/${cellValue(created.sys_id)}`, { fields: { state: 2 } });
    const problem = await client.create("problem", { short_description: "Not configured" });
    await client.update("problem", cellValue(problem.sys_id), { urgency: 1 });
    await waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received.map((r) => JSON.parse(r.body).table)).toEqual(["incident"]);
    expect(JSON.parse(received[0]!.body)).toMatchObject({ sys_id: cellValue(created.sys_id), state: "2", state_display: "In Progress" });
  });
});
