// Raw governance calls (2022-01-01-preview) through the authenticated SDK pipeline against the ARM
// emulator: assignment and rule CRUD, validation errors as 400s, 404s, and rule execution.
// Uses the shared emulators; every test writes its own keys and deletes what it wrote.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type TestEmulators, useEmulators } from "@/emulators/common/testing";
import type { Assessment } from "@/emulators/seed/types";
import { emulatorAzureClient } from "@/lib/ingestion/testing/fixtures";
import { type AzureClient } from "./client";
import type { GovernanceRuleProperties } from "./schemas";

let emu: TestEmulators;
let client: AzureClient;
let subscriptionId: string;
let target: Assessment;

beforeAll(async () => {
  emu = await useEmulators();
  const m = emu.manifest;
  subscriptionId = m.arm.subscriptionIds[1]!;
  client = emulatorAzureClient(m, { retry: { retryDelayInMs: 20 } });
  const { body } = await emu.control<{ value: Assessment[] }>(
    "arm",
    "GET",
    `/_emulator/assessments?subscriptionId=${subscriptionId}&status=Unhealthy`,
  );
  target = body.value.find((a) => a.resourceId.includes("/resourceGroups/"))!;
}, 60_000);
afterAll(() => emu?.stop());

const properties = (ticketNumber: number) => ({
  owner: "ari.analyst@contoso.example",
  remediationDueDate: "2030-01-31T00:00:00.000Z",
  isGracePeriod: true,
  governanceEmailNotification: { disableManagerEmailNotification: true, disableOwnerEmailNotification: false },
  additionalData: { ticketNumber, ticketLink: "https://servicenow.example/incident.do?sys_id=abc", ticketStatus: "New" },
});

describe("governance assignments", () => {
  test("PUT creates (201) then replaces (200); GET and list return it; DELETE removes it (200, then 204)", async () => {
    const ref = { resourceId: target.resourceId, assessmentName: target.key, assignmentKey: randomUUID() };
    try {
      const created = await client.governance.putAssignment(ref, properties(10001));
      expect(created.isCreated).toBe(true);
      expect(created.assignment.properties.additionalData?.ticketNumber).toBe(10001);
      const replaced = await client.governance.putAssignment(ref, { ...properties(10002), owner: "mona.manager@contoso.example" });
      expect(replaced.isCreated).toBe(false);
      expect(await client.governance.getAssignment(ref)).toMatchObject({
        name: ref.assignmentKey,
        properties: { owner: "mona.manager@contoso.example", additionalData: { ticketNumber: 10002 } },
      });
      const listed = await client.governance.listAssignments(`subscriptions/${subscriptionId}`, target.key);
      expect(listed.map((a) => a.name)).toContain(ref.assignmentKey);
      // What the control API shows as "written by clients" is what ARM answered.
      const written = await emu.control<{ value: Array<{ key: string }> }>("arm", "GET", "/_emulator/governance/assignments");
      expect(written.body.value.map((a) => a.key)).toContain(ref.assignmentKey);
    } finally {
      expect(await client.governance.deleteAssignment(ref)).toBe(true);
    }
    expect(await client.governance.deleteAssignment(ref)).toBe(false);
    expect(await client.governance.getAssignment(ref)).toBeNull();
  });

  test("invalid bodies are 400 InvalidRequestContent naming the field (→ UPSTREAM_BAD_REQUEST)", async () => {
    const path = `${target.resourceId}/providers/Microsoft.Security/assessments/${target.key}/governanceAssignments/${randomUUID()}`;
    const put = (body: unknown) => client.raw({ method: "PUT", path, apiVersion: "2022-01-01-preview", body, what: "test" });
    await expect(put({ properties: { owner: "x@contoso.example" } })).rejects.toMatchObject({
      code: "UPSTREAM_BAD_REQUEST",
      message: expect.stringContaining("remediationDueDate"),
    });
    await expect(put({ properties: { ...properties(1), additionalData: { ticketNumber: -1 } } })).rejects.toMatchObject({
      message: expect.stringContaining("ticketNumber"),
    });
    await expect(put({ properties: { ...properties(1), additionalData: { ticketNumber: 1.5 } } })).rejects.toMatchObject({
      message: expect.stringContaining("ticketNumber"),
    });
    await expect(put({ properties: { ...properties(1), remediationDueDate: "next tuesday" } })).rejects.toMatchObject({
      message: expect.stringContaining("remediationDueDate"),
    });
  });

  test("an assignment on an assessment that does not exist is 404 (→ UPSTREAM_NOT_FOUND)", async () => {
    const ref = { resourceId: target.resourceId, assessmentName: randomUUID(), assignmentKey: randomUUID() };
    await expect(client.governance.putAssignment(ref, properties(1))).rejects.toMatchObject({ code: "UPSTREAM_NOT_FOUND" });
  });

  test("a principal without a role cannot write (403 → UPSTREAM_FORBIDDEN)", async () => {
    const m = emu.manifest;
    const noAccess = emulatorAzureClient(m, m.entra.noAccessServicePrincipal);
    await expect(
      noAccess.governance.putAssignment(
        { resourceId: target.resourceId, assessmentName: target.key, assignmentKey: randomUUID() },
        properties(1),
      ),
    ).rejects.toMatchObject({
      code: "UPSTREAM_FORBIDDEN",
    });
  });
});

describe("governance rules", () => {
  const rule = (priority: number): GovernanceRuleProperties => ({
    displayName: "Critical recommendations to their owners",
    description: "High severity recommendations get an owner from the resource's owner tag",
    remediationTimeframe: "7.00:00:00",
    isGracePeriod: true,
    rulePriority: priority,
    isDisabled: false,
    ruleType: "ServiceNow",
    sourceResourceType: "Assessments",
    conditionSets: [{ conditions: [{ property: "$.AssessmentKey", value: JSON.stringify([target.key]), operator: "In" }] }],
    ownerSource: { type: "Manually", value: "ari.analyst@contoso.example" },
  });

  test("PUT/GET/list/DELETE round trip; a second rule with the same priority is refused (400)", async () => {
    const ruleId = randomUUID();
    const other = randomUUID();
    const priority = 100 + Math.floor(Math.random() * 800);
    try {
      const created = await client.governance.putRule(subscriptionId, ruleId, rule(priority));
      expect(created.isCreated).toBe(true);
      expect(created.rule.properties).toMatchObject({ rulePriority: priority, ruleType: "ServiceNow", tenantId: emu.manifest.tenantId });
      expect((await client.governance.getRule(subscriptionId, ruleId))?.name).toBe(ruleId);
      expect((await client.governance.listRules(subscriptionId)).map((r) => r.name)).toContain(ruleId);
      await expect(client.governance.putRule(subscriptionId, other, rule(priority))).rejects.toMatchObject({
        code: "UPSTREAM_BAD_REQUEST",
        message: expect.stringContaining("InvalidRulePriority"),
      });
    } finally {
      await client.governance.deleteRule(subscriptionId, ruleId);
    }
    expect(await client.governance.getRule(subscriptionId, ruleId)).toBeNull();
  });

  test("execute (202 + Location) creates assignments for the Unhealthy assessments the rule matches", async () => {
    const ruleId = randomUUID();
    await client.governance.putRule(subscriptionId, ruleId, rule(900 + Math.floor(Math.random() * 99)));
    const ref = { resourceId: target.resourceId, assessmentName: target.key, assignmentKey: ruleId };
    try {
      const executed = await client.raw({
        method: "POST",
        path: `/subscriptions/${subscriptionId}/providers/Microsoft.Security/governanceRules/${ruleId}/execute`,
        apiVersion: "2022-01-01-preview",
        body: { override: true },
        what: "test",
      });
      expect(executed.status).toBe(202);
      const status = await client.raw<{ status: string }>({ method: "GET", path: executed.headers.location!, what: "test" });
      expect(status.body).toEqual({ status: "Succeeded" });
      expect(await client.governance.getAssignment(ref)).toMatchObject({ properties: { owner: "ari.analyst@contoso.example" } });
    } finally {
      await client.governance.deleteAssignment(ref);
      await client.governance.deleteRule(subscriptionId, ruleId);
    }
  });
});
