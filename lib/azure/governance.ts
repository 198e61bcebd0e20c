// Defender governance (2022-01-01-preview) through raw calls on the authenticated ARM pipeline: the
// SDK (5.0.0) has no governance operations. Assignments carry the ticket (`additionalData.ticketNumber /
// ticketLink / ticketStatus`), the owner and the remediation due date of one assessment.
import "server-only";
import { type z } from "zod";
import type { RawRequest, RawResponse } from "./client";
import {
  type GovernanceAssignment,
  type GovernanceAssignmentProperties,
  type GovernanceRule,
  type GovernanceRuleProperties,
  ZArmList,
  ZGovernanceAssignment,
  ZGovernanceAssignmentProperties,
  ZGovernanceRule,
  ZGovernanceRuleProperties,
} from "./schemas";

export const GOVERNANCE_API_VERSION = "2022-01-01-preview";

type Raw = <T>(request: RawRequest<T>) => Promise<RawResponse<T | undefined>>;

export type AssignmentRef = { resourceId: string; assessmentName: string; assignmentKey: string };

export type GovernanceApi = {
  getAssignment(ref: AssignmentRef): Promise<GovernanceAssignment | null>;
  /** Creates or replaces; `created` is true on 201. */
  putAssignment(
    ref: AssignmentRef,
    properties: GovernanceAssignmentProperties,
  ): Promise<{ assignment: GovernanceAssignment; isCreated: boolean }>;
  /** True when something was deleted (200), false when there was nothing (204). */
  deleteAssignment(ref: AssignmentRef): Promise<boolean>;
  /** Assignments of one recommendation under a scope (subscription or resource), all pages. */
  listAssignments(scope: string, assessmentName: string): Promise<GovernanceAssignment[]>;
  getRule(subscriptionId: string, ruleId: string): Promise<GovernanceRule | null>;
  putRule(
    subscriptionId: string,
    ruleId: string,
    properties: GovernanceRuleProperties,
  ): Promise<{ rule: GovernanceRule; isCreated: boolean }>;
  deleteRule(subscriptionId: string, ruleId: string): Promise<boolean>;
  listRules(subscriptionId: string): Promise<GovernanceRule[]>;
};

const trim = (path: string) => path.replace(/^\/+|\/+$/g, "");

function assignmentPath(ref: AssignmentRef): string {
  return `/${trim(ref.resourceId)}/providers/Microsoft.Security/assessments/${encodeURIComponent(ref.assessmentName)}/governanceAssignments/${encodeURIComponent(ref.assignmentKey)}`;
}

function rulePath(subscriptionId: string, ruleId: string): string {
  return `/subscriptions/${encodeURIComponent(subscriptionId)}/providers/Microsoft.Security/governanceRules/${encodeURIComponent(ruleId)}`;
}

async function listAll<T>(raw: Raw, path: string, item: z.ZodType<T>, what: string): Promise<T[]> {
  const out: T[] = [];
  let next: string | undefined = path;
  while (next) {
    const page: RawResponse<z.infer<typeof ZArmList> | undefined> = await raw({
      method: "GET",
      path: next,
      apiVersion: GOVERNANCE_API_VERSION,
      schema: ZArmList,
      what,
    });
    for (const value of page.body?.value ?? []) out.push(item.parse(value));
    next = page.body?.nextLink ?? undefined;
  }
  return out;
}

export function createGovernanceApi(raw: Raw): GovernanceApi {
  return {
    async getAssignment(ref) {
      const r = await raw({
        method: "GET",
        path: assignmentPath(ref),
        apiVersion: GOVERNANCE_API_VERSION,
        schema: ZGovernanceAssignment,
        what: "governance assignment GET",
        acceptStatuses: [404],
      });
      return r.status === 404 ? null : r.body!;
    },
    async putAssignment(ref, properties) {
      // Validate what we send: ARM would reject it anyway, but our message names the field.
      const body = { properties: ZGovernanceAssignmentProperties.parse(properties) };
      const r = await raw({
        method: "PUT",
        path: assignmentPath(ref),
        apiVersion: GOVERNANCE_API_VERSION,
        body,
        schema: ZGovernanceAssignment,
        what: "governance assignment PUT",
      });
      return { assignment: r.body!, isCreated: r.status === 201 };
    },
    async deleteAssignment(ref) {
      const r = await raw({
        method: "DELETE",
        path: assignmentPath(ref),
        apiVersion: GOVERNANCE_API_VERSION,
        what: "governance assignment DELETE",
      });
      return r.status === 200;
    },
    listAssignments(scope, assessmentName) {
      return listAll(
        raw,
        `/${trim(scope)}/providers/Microsoft.Security/assessments/${encodeURIComponent(assessmentName)}/governanceAssignments`,
        ZGovernanceAssignment,
        "governance assignment listing",
      );
    },
    async getRule(subscriptionId, ruleId) {
      const r = await raw({
        method: "GET",
        path: rulePath(subscriptionId, ruleId),
        apiVersion: GOVERNANCE_API_VERSION,
        schema: ZGovernanceRule,
        what: "governance rule GET",
        acceptStatuses: [404],
      });
      return r.status === 404 ? null : r.body!;
    },
    async putRule(subscriptionId, ruleId, properties) {
      const body = { properties: ZGovernanceRuleProperties.parse(properties) };
      const r = await raw({
        method: "PUT",
        path: rulePath(subscriptionId, ruleId),
        apiVersion: GOVERNANCE_API_VERSION,
        body,
        schema: ZGovernanceRule,
        what: "governance rule PUT",
      });
      return { rule: r.body!, isCreated: r.status === 201 };
    },
    async deleteRule(subscriptionId, ruleId) {
      const r = await raw({
        method: "DELETE",
        path: rulePath(subscriptionId, ruleId),
        apiVersion: GOVERNANCE_API_VERSION,
        what: "governance rule DELETE",
      });
      return r.status === 200;
    },
    listRules(subscriptionId) {
      return listAll(
        raw,
        `/subscriptions/${encodeURIComponent(subscriptionId)}/providers/Microsoft.Security/governanceRules`,
        ZGovernanceRule,
        "governance rule listing",
      );
    },
  };
}
