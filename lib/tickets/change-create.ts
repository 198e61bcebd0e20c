import "server-only";

// Change requests are created through the Change Management API (sn_chg_rest), the interface ServiceNow
// documents for integrations: the change's model (normal, emergency, or standard from a pre-approved
// template the analyst picked) is applied by the instance itself. Only when the plugin is absent (404)
// is the change inserted through the Table API, with a warning, since a Table API insert applies no
// model or template. Fields the instance ignored (`__meta.ignoredFields`) become warnings too. Called
// from the ticket service's create step (create-one.ts); the record is then read back through the Table
// API so the Ticket row is built from what ServiceNow stored.
import { AppError, isAppError } from "@/lib/http/errors";
import { type TChangeType } from "@/lib/schemas/tickets";
import {
  cellValue,
  createChange,
  isChangeApiAbsent,
  isChangeApiInstalled,
  type ServiceNowClient,
  type ServiceNowRecord,
  type WriteValue,
} from "@/lib/servicenow";
import { recordFields } from "./record";

export type ChangeCreateOutcome = { record: ServiceNowRecord; warnings: string[] };

/** Plan fields a standard change takes from its template (sn_chg_rest does not let a request override them). */
const TEMPLATE_OWNED = ["description", "implementation_plan", "backout_plan", "test_plan"];

export const TABLE_API_FALLBACK_WARNING =
  "Created through the Table API: the Change Management API (plugin sn_chg_rest) is not installed on this instance, so no change model or standard change template was applied.";

export async function createChangeRequest(
  client: ServiceNowClient,
  values: Record<string, WriteValue>,
  model: TChangeType,
  templateId: string | undefined,
  instanceFields: readonly string[] = [],
): Promise<ChangeCreateOutcome> {
  const body: Record<string, WriteValue> = { ...values };
  delete body.type; // the endpoint decides the type
  if (model === "standard") {
    // The template owns the plan fields: keep what the findings say in a work note instead.
    const description = typeof body.description === "string" ? body.description : "";
    for (const f of TEMPLATE_OWNED) delete body[f];
    const notes = [
      typeof body.work_notes === "string" ? body.work_notes : "",
      description ? `Findings covered by this change:\n${description}` : "",
    ].filter(Boolean);
    if (notes.length) body.work_notes = notes.join("\n\n");
  }
  try {
    const created = await createChange(client, model, body, templateId, instanceFields);
    const stored = await client.get("change_request", cellValue(created.record.sys_id), {
      fields: recordFields("change_request"),
      displayValue: "all",
      excludeReferenceLink: true,
    });
    if (!stored)
      throw new AppError("UPSTREAM_UNAVAILABLE", { message: "ServiceNow created the change request but it cannot be read back (ACL?)" });
    const ignored = created.ignoredFields.filter((f) => Object.hasOwn(body, f));
    const warnings = ignored.length
      ? [
          `ServiceNow ignored ${ignored.length === 1 ? "the field" : "the fields"} ${ignored.join(", ")} (unknown or read-only on this instance).`,
        ]
      : [];
    return { record: stored, warnings };
  } catch (error) {
    if (model === "standard" && isAppError(error) && error.code === "UPSTREAM_BAD_REQUEST" && !isChangeApiAbsent(error)) {
      throw new AppError("VALIDATION", {
        message: `ServiceNow refused the standard change template: ${error.userMessage}`,
        details: { errors: [{ path: "body.standardTemplateId", message: "refused by ServiceNow" }] },
      });
    }
    if (!isChangeApiAbsent(error)) throw error;
    // A 404 may also name a template that does not exist: fall back only when the API itself is missing.
    if (await isChangeApiInstalled(client)) {
      throw new AppError("VALIDATION", {
        message: "ServiceNow does not know this standard change template (retired, or not visible to the integration user)",
        details: { errors: [{ path: "body.standardTemplateId", message: "unknown standard change template" }] },
      });
    }
  }
  const record = await client.create(
    "change_request",
    { ...values, type: model },
    { fields: recordFields("change_request"), displayValue: "all", excludeReferenceLink: true, instanceFields },
  );
  return { record, warnings: [TABLE_API_FALLBACK_WARNING] };
}
