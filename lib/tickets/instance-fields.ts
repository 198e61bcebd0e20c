import "server-only";

// The instance's own fields on a new ticket — a separate step of ticket creation that runs BEFORE any
// call to ServiceNow: the connection's field defaults for the table (templates rendered for each group of
// findings), the request's `fields` over them, both checked against the instance's discovered schema,
// and every field ServiceNow would refuse the insert without (data policy, or learned from an earlier
// refusal) required — a missing one is a 422 naming each field, and ServiceNow is never called.
// When ServiceNow refuses anyway (403 "Data Policy Exception", e.g. the policies are not readable),
// the named fields are learned for next time and the answer is the same 422.
import { fieldDefaultsOf } from "@/lib/connections/dto";
import { db } from "@/lib/db";
import { type ServiceNowConnection } from "@/lib/generated/prisma/client";
import { type ConnectionWithCredentials } from "@/lib/connections/client";
import { AppError, isAppError } from "@/lib/http/errors";
import { learnMandatory, tableSchemaFor } from "@/lib/instance-schema/store";
import { renderDefaults, type TemplateFinding } from "@/lib/instance-schema/templates";
import { missingMandatory, parseDataPolicyException, validateFieldValues } from "@/lib/instance-schema/validate";
import { type TDiscoveredField, type TTableSchema } from "@/lib/schemas/instance-schema";
import { type TCreateTicket } from "@/lib/schemas/tickets";
import { type TicketFinding } from "./findings";

type ItsmTable = "incident" | "problem" | "change_request";
const isItsm = (t: string): t is ItsmTable => t === "incident" || t === "problem" || t === "change_request";

/** Template inputs of the findings (subscription names looked up once). */
export async function templateFindings(findings: TicketFinding[]): Promise<Map<string, TemplateFinding>> {
  const subs = await db().subscription.findMany({
    where: { subscriptionId: { in: [...new Set(findings.map((f) => f.subscriptionId.toLowerCase()))] } },
    select: { azureTenantId: true, subscriptionId: true, displayName: true },
  });
  const names = new Map(subs.map((s) => [`${s.azureTenantId}|${s.subscriptionId.toLowerCase()}`, s.displayName]));
  return new Map(
    findings.map((f) => [
      f.id,
      {
        recommendationName: f.recommendation.displayName,
        severity: f.recommendation.severity,
        subscriptionName: names.get(`${f.azureTenantId}|${f.subscriptionId.toLowerCase()}`) ?? f.subscriptionId,
        resourceId: f.resourceId,
        resourceGroup: f.resourceGroup,
        tags: tagsOf(f.tags),
      },
    ]),
  );
}

function tagsOf(value: unknown): Record<string, string> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
}

/** The columns PostureDesk itself fills on a ticket of this request (core fields of create-one.ts). */
export function managedValues(
  type: string,
  input: TCreateTicket,
  connection: Pick<ServiceNowConnection, "defaultAssignmentGroup" | "defaultCallerId">,
): Record<string, string> {
  return {
    short_description: "x",
    description: "x",
    impact: "x",
    urgency: "x",
    due_date: "x",
    ...(input.assignmentGroup || connection.defaultAssignmentGroup ? { assignment_group: "x" } : {}),
    ...(input.assignedTo ? { assigned_to: "x" } : {}),
    ...(type === "incident" && (input.callerId || connection.defaultCallerId) ? { caller_id: "x" } : {}),
    ...(type === "change_request" ? { type: "x" } : {}),
  };
}

function missingError(table: string, missing: TDiscoveredField[], how: string): AppError {
  const names = missing.map((f) => `${f.name} (${f.label})`).join(", ");
  return new AppError("VALIDATION", {
    message: `ServiceNow requires ${missing.length === 1 ? "this field" : "these fields"} on ${table}: ${names}. ${how}`,
    details: {
      errors: missing.map((f) => ({
        path: `body.fields.${f.name}`,
        message: `is mandatory on this instance (${f.mandatorySource === "learned" ? "learned from ServiceNow's refusal" : "data policy"})`,
      })),
      missingFields: missing.map((f) => f.name),
    },
  });
}

export type InstanceValues = { schema: TTableSchema | null; valuesFor(findings: TicketFinding[]): Record<string, string> };

/**
 * Validates the request's fields and the connection's defaults for every group about to be created and
 * returns the values per group. Throws 422 (VALIDATION) naming each missing or invalid field.
 */
export async function prepareInstanceFields(
  connection: ConnectionWithCredentials,
  input: TCreateTicket,
  groups: TicketFinding[][],
): Promise<InstanceValues> {
  const table = input.type;
  if (!isItsm(table)) {
    if (input.fields && Object.keys(input.fields).length) {
      throw new AppError("VALIDATION", {
        message: "Instance fields apply to incidents, problems and change requests",
        details: { errors: [{ path: "body.fields", message: "not for remediation tasks" }] },
      });
    }
    return { schema: null, valuesFor: () => ({}) };
  }
  const requested = input.fields ?? {};
  const schema = await tableSchemaFor(connection, table).catch((error: unknown) => {
    // The instance cannot be asked now (down, throttling) and nothing is cached: the request is still
    // kept (ticket requests, retried). Its values go unvalidated; a data policy refusal on the attempt
    // is learned and fails the request with the fields named (dataPolicyRefusal below).
    if (isAppError(error) && (error.isRetryable || error.code === "UPSTREAM_UNCERTAIN")) return null;
    throw error;
  });
  if (!schema) {
    const defaults = fieldDefaultsOf(connection.fieldDefaults)[table] ?? {};
    const inputs = await templateFindings(groups.flat());
    const byGroup = new Map(
      groups.map((group) => [
        group,
        Object.fromEntries(
          Object.entries({
            ...renderDefaults(
              defaults,
              group.map((f) => inputs.get(f.id)!),
              {},
            ),
            ...requested,
          }).filter(([, v]) => v !== ""),
        ),
      ]),
    );
    return { schema: null, valuesFor: (findings) => byGroup.get(findings) ?? {} };
  }
  const issues = validateFieldValues(table, schema.fields, requested, "body.fields", { allowTemplates: false });
  if (issues.length) {
    throw new AppError("VALIDATION", {
      message: `Invalid ServiceNow fields: ${issues
        .slice(0, 3)
        .map((i) => i.message)
        .join("; ")}`,
      details: { errors: issues.map((i) => ({ path: i.path, message: i.message })) },
    });
  }
  const defaults = fieldDefaultsOf(connection.fieldDefaults)[table] ?? {};
  const maxLengths = Object.fromEntries(schema.fields.map((f) => [f.name, f.maxLength]));
  const inputs = await templateFindings(groups.flat());
  const byGroup = new Map<TicketFinding[], Record<string, string>>();
  const managed = managedValues(table, input, connection);
  for (const group of groups) {
    const rendered = renderDefaults(
      defaults,
      group.map((f) => inputs.get(f.id)!),
      maxLengths,
    );
    const values = Object.fromEntries(Object.entries({ ...rendered, ...requested }).filter(([, v]) => v !== ""));
    const missing = missingMandatory(schema.fields, { ...values, ...managed });
    if (missing.length) throw missingError(table, missing, "Set them in the ticket form, or as field defaults of the connection (admin).");
    byGroup.set(group, values);
  }
  return { schema, valuesFor: (findings) => byGroup.get(findings) ?? {} };
}

/**
 * A ServiceNow refusal that is a data-policy violation → the named fields learned, and the 422 the caller
 * should answer instead (null for any other error).
 */
export async function dataPolicyRefusal(connectionId: string, table: string, error: unknown): Promise<AppError | null> {
  if (!isAppError(error) || error.code !== "UPSTREAM_FORBIDDEN") return null;
  const details = error.details as { serviceNowDetail?: string | null; serviceNowMessage?: string } | undefined;
  const labels = parseDataPolicyException(details?.serviceNowDetail ?? details?.serviceNowMessage);
  if (!labels || labels.length === 0) return null;
  const learned = await learnMandatory(connectionId, table, labels);
  return missingError(
    table,
    learned.map((f) => ({ ...f, mandatorySource: "learned" as const })),
    "ServiceNow refused the ticket (Data Policy Exception); PostureDesk has learned these fields and will ask for them before sending next time.",
  );
}
