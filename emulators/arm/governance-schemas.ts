// Validation of governance assignment and rule bodies (2022-01-01-preview), with ARM-style 400s.
import { z, type ZodError } from "zod";
import { HttpError } from "../common/http";
import { armError } from "./errors";

const isoDateTime = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)) && /^\d{4}-\d{2}-\d{2}T/.test(v), "must be an ISO 8601 date-time");
const notification = z
  .object({ disableManagerEmailNotification: z.boolean().optional(), disableOwnerEmailNotification: z.boolean().optional() })
  .strict();

export const ZGovernanceAssignmentBody = z.object({
  properties: z
    .object({
      owner: z.string().max(256).optional(),
      remediationDueDate: isoDateTime,
      remediationEta: z
        .object({ eta: isoDateTime, justification: z.string().min(1).max(1000) })
        .strict()
        .optional(),
      isGracePeriod: z.boolean().optional(),
      governanceEmailNotification: notification.optional(),
      additionalData: z
        .object({
          ticketNumber: z.number().int().min(0).optional(),
          ticketLink: z.string().max(2048).optional(),
          ticketStatus: z.string().max(256).optional(),
        })
        .strict()
        .optional(),
    })
    .strict(),
});

const condition = z.object({ property: z.string().min(1), value: z.string(), operator: z.enum(["Equals", "In"]) }).strict();

export const ZGovernanceRuleBody = z.object({
  properties: z
    .object({
      displayName: z.string().min(1).max(256),
      description: z.string().max(1000).optional(),
      remediationTimeframe: z
        .string()
        .regex(/^\d+\.\d{2}:\d{2}:\d{2}$/, "must look like 7.00:00:00")
        .optional(),
      isGracePeriod: z.boolean().optional(),
      rulePriority: z.number().int().min(0).max(1000),
      isDisabled: z.boolean().optional(),
      ruleType: z.enum(["Integrated", "ServiceNow"]),
      sourceResourceType: z.literal("Assessments"),
      excludedScopes: z.array(z.string()).optional(),
      conditionSets: z.array(z.object({ conditions: z.array(condition).min(1) }).strict()).min(1),
      includeMemberScopes: z.boolean().optional(),
      inheritRules: z.boolean().optional(),
      ownerSource: z.object({ type: z.enum(["ByTag", "Manually"]), value: z.string().min(1) }).strict(),
      governanceEmailNotification: notification.optional(),
      tenantId: z.string().optional(),
      metadata: z.unknown().optional(),
    })
    .strict(),
});

export const ZExecuteBody = z.object({ override: z.boolean().optional() }).strict();

export function parseArmBody<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  if (body === undefined)
    throw armError(
      400,
      "InvalidRequestContent",
      `The request content was invalid and could not be deserialized: a ${what} body is required.`,
    );
  if (typeof body === "string")
    throw armError(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized: it is not JSON.");
  const result = schema.safeParse(body);
  if (!result.success) throw validationError(result.error, what);
  return result.data;
}

function validationError(error: ZodError, what: string): HttpError {
  const detail = error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ");
  return new HttpError(400, "InvalidRequestContent", `The ${what} is not valid: ${detail}`, {}, detail);
}

/** "7.00:00:00" → milliseconds. */
export function timeframeMs(value: string | undefined): number {
  const m = /^(\d+)\.(\d{2}):(\d{2}):(\d{2})$/.exec(value ?? "7.00:00:00");
  if (!m) return 7 * 86400_000;
  return ((Number(m[1]) * 24 + Number(m[2])) * 3600 + Number(m[3]) * 60 + Number(m[4])) * 1000;
}
