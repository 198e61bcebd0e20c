import "server-only";

// The Change Management REST API (plugin sn_chg_rest), which ServiceNow documents as the interface for
// integrations that create change requests: one endpoint per change model (normal, emergency, standard
// from a template), answers of 200 with every field as {value, display_value} and `__meta.ignoredFields`
// (fields the instance did not take: unknown, read-only, or owned by the template). When the plugin is
// absent the namespace does not exist: ServiceNow answers 404 (or 400 "Requested URI does not represent
// any resource", its answer for an unknown API path); `isChangeApiAbsent` recognizes both.
import { z } from "zod";
import { AppError, isAppError } from "@/lib/http/errors";
import { type ServiceNowClient, type WriteValue } from "./client";
import { formatServiceNowDateTime } from "./dates";
import { serviceNowResponseError } from "./errors";
import { assertColumnNames, assertFields } from "./fields";
import { cellDisplay, cellValue, type ServiceNowRecord, ZCell } from "./records";

export type ChangeModel = "normal" | "emergency" | "standard";
export type StandardChangeTemplate = { sysId: string; name: string; shortDescription: string; category: string };
export type ChangeApiResult = { record: ServiceNowRecord; ignoredFields: string[] };

const BASE = "/api/sn_chg_rest/change";
const ZMeta = z.object({ ignoredFields: z.array(z.string()).optional() }).passthrough();
const ZCreateAnswer = z.object({ result: z.record(z.string(), z.unknown()), __meta: ZMeta.optional() }).passthrough();
const ZTemplateList = z.object({ result: z.array(z.record(z.string(), ZCell)) });

/** Whether an error says the Change Management API is not installed on the instance. */
export function isChangeApiAbsent(error: unknown): boolean {
  if (!isAppError(error)) return false;
  const details = error.details as { status?: number; serviceNowMessage?: string } | undefined;
  if (details?.status === 404) return true;
  return details?.status === 400 && /does not represent any resource/i.test(details.serviceNowMessage ?? "");
}

/** Whether the instance has the Change Management API (false on 404 / unknown URI; other failures throw). */
export async function isChangeApiInstalled(client: ServiceNowClient): Promise<boolean> {
  try {
    await client.callApi("GET", `${BASE}/standard/template`, { query: { sysparm_limit: "1" } });
    return true;
  } catch (error) {
    if (isChangeApiAbsent(error)) return false;
    throw error;
  }
}

/** Standard change templates the integration user may use (active ones, by name). */
export async function listStandardTemplates(client: ServiceNowClient): Promise<StandardChangeTemplate[]> {
  const { json } = await client.callApi("GET", `${BASE}/standard/template`, { query: { sysparm_limit: "500" } });
  const parsed = ZTemplateList.safeParse(json);
  if (!parsed.success) throw serviceNowResponseError({ method: "GET", target: "sn_chg_rest/change/standard/template" }, "no result list");
  return parsed.data.result
    .filter((t) => cellValue(t.active) !== "false")
    .map((t) => ({
      sysId: cellValue(t.sys_id),
      name: cellDisplay(t.name) || cellValue(t.sys_id),
      shortDescription: cellDisplay(t.short_description),
      category: cellDisplay(t.category),
    }))
    .filter((t) => /^[0-9a-f]{32}$/i.test(t.sysId))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function encode(values: Record<string, WriteValue>, instanceFields: readonly string[]): Record<string, string> {
  // Instance fields were checked against the instance's discovered schema (lib/tickets/instance-fields.ts).
  assertColumnNames(instanceFields);
  assertFields(
    "change_request",
    Object.keys(values).filter((k) => !instanceFields.includes(k)),
  );
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, v === null ? "" : v instanceof Date ? formatServiceNowDateTime(v) : String(v)]),
  );
}

/**
 * Creates one change request through sn_chg_rest. Never repeated after an unknown outcome: the caller
 * looks the record up by correlation_id first (UPSTREAM_UNCERTAIN, as for Table API creates).
 */
export async function createChange(
  client: ServiceNowClient,
  model: ChangeModel,
  values: Record<string, WriteValue>,
  templateId?: string,
  instanceFields: readonly string[] = [],
): Promise<ChangeApiResult> {
  if (model === "standard" && !(templateId && /^[0-9a-f]{32}$/i.test(templateId))) {
    throw new AppError("VALIDATION", {
      message: "A standard change needs a standard change template",
      details: { errors: [{ path: "body.standardTemplateId", message: "pick a standard change template" }] },
    });
  }
  const path = model === "standard" ? `${BASE}/standard/${templateId}` : `${BASE}/${model}`;
  const { json } = await client.callApi("POST", path, { body: encode(values, instanceFields), isIdempotent: false });
  const parsed = ZCreateAnswer.safeParse(json);
  if (!parsed.success) throw serviceNowResponseError({ method: "POST", target: path.replace(/^\/api\//, "") }, "no result object");
  const { __meta: innerMeta, ...fields } = parsed.data.result as Record<string, unknown> & { __meta?: unknown };
  const meta = ZMeta.safeParse(innerMeta ?? parsed.data.__meta ?? {});
  const record: ServiceNowRecord = {};
  for (const [name, raw] of Object.entries(fields)) {
    const cell = ZCell.safeParse(raw);
    if (cell.success) record[name] = cell.data;
  }
  if (!cellValue(record.sys_id))
    throw serviceNowResponseError({ method: "POST", target: path.replace(/^\/api\//, "") }, "no sys_id in the answer");
  return { record, ignoredFields: meta.success ? (meta.data.ignoredFields ?? []) : [] };
}
