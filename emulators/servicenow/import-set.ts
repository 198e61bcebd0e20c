// Import Set API with one synchronous transform map, "PostureDesk CC Results", from the staging table
// (default u_posturedesk_cc_import) into sn_vulc_result, coalescing on source + source id.
//   POST /api/now/import/{staging}                 one row   → {import_set, staging_table, result:[…]}
//   POST /api/now/import/{staging}/insertMultiple  {records} → the same, plus import_set_id/multi_import_set_id
// (insertMultiple is configured synchronous here; the platform's default is asynchronous.)
// Staging columns: u_source, u_source_id, u_result (Passed|Failed|Error|Unknown), u_risk_rating (1–5 or
// Critical…None), u_first_found, u_last_found, u_test (sn_vulc_test sys_id, name or source_id),
// u_cloud_resource_id (matched to cmdb_ci.object_id), u_expected, u_actual.
import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { type EmulatorRequest, HttpError, type Router, sendJson } from "../common/http";
import { type Actor } from "./business-rules";
import { choicesFor } from "./choices";
import { bodyToStrings, InputError } from "./input";
import { type SnRecord } from "./query-engine";
import { type RecordService } from "./records";
import { resolveTable, type TableDef } from "./schema";
import { type Store } from "./store";

export const DEFAULT_STAGING_TABLE = "u_posturedesk_cc_import";
export const TRANSFORM_MAP = "PostureDesk CC Results";
export const STAGING_COLUMNS = [
  "u_source",
  "u_source_id",
  "u_result",
  "u_risk_rating",
  "u_first_found",
  "u_last_found",
  "u_test",
  "u_cloud_resource_id",
  "u_expected",
  "u_actual",
] as const;

export type CcSettings = { stagingTable: string; hasStagingTable: boolean; hasImportRole: boolean };

export function defaultCcSettings(): CcSettings {
  return { stagingTable: DEFAULT_STAGING_TABLE, hasStagingTable: true, hasImportRole: true };
}

export type ImportDeps = {
  records: RecordService;
  store: Store;
  authorize(req: EmulatorRequest): Actor;
  settings(): CcSettings;
};

type RowResult = {
  transform_map: string;
  table: string;
  display_name: string;
  display_value: string;
  record_link: string;
  status: "inserted" | "updated" | "ignored" | "error";
  sys_id: string;
  status_message: string;
};

const IMPORT_SET_DEF = { name: "sys_import_set", numberPrefix: "ISET", numberStart: 10001 } as TableDef;

function choiceValue(table: string, element: string, input: string): string | undefined {
  const wanted = input.trim().toLowerCase();
  return choicesFor(table, element)?.find((c) => c.value.toLowerCase() === wanted || c.label.toLowerCase() === wanted)?.value;
}

function findTest(store: Store, ref: string): SnRecord | undefined {
  const byId = store.get("sn_vulc_test", ref);
  if (byId) return byId;
  const wanted = ref.toLowerCase();
  for (const t of store.rows("sn_vulc_test")) if ((t.name ?? "").toLowerCase() === wanted || t.source_id === ref) return t;
  return undefined;
}

function findCi(store: Store, objectId: string): SnRecord | undefined {
  const wanted = objectId.toLowerCase();
  for (const ci of store.rows("cmdb_ci")) if ((ci.object_id ?? "").toLowerCase() === wanted) return ci;
  return undefined;
}

function transformRow(row: Record<string, string>, actor: Actor, origin: string, deps: ImportDeps): RowResult {
  const target = resolveTable("sn_vulc_result")!;
  const base = { transform_map: TRANSFORM_MAP, table: "sn_vulc_result", display_name: "number" };
  const fail = (message: string): RowResult => ({ ...base, display_value: "", record_link: "", status: "error", sys_id: "", status_message: message });
  const source = (row.u_source ?? "").trim();
  const sourceId = (row.u_source_id ?? "").trim();
  if (!source || !sourceId) return fail("Coalesce fields u_source and u_source_id are required");
  const result = choiceValue("sn_vulc_result", "result", row.u_result ?? "");
  if (!result) return fail(`Invalid result '${row.u_result ?? ""}': expected Passed, Failed, Error or Unknown`);
  const messages: string[] = [];
  const values: Record<string, string> = { source, source_id: sourceId, result, active: "true" };
  if (row.u_risk_rating !== undefined) values.risk_rating = choiceValue("sn_vulc_result", "risk_rating", row.u_risk_rating) ?? "";
  for (const [from, to] of [
    ["u_first_found", "first_found"],
    ["u_last_found", "last_found"],
    ["u_expected", "expected"],
    ["u_actual", "actual"],
  ] as const) {
    if (row[from] !== undefined) values[to] = row[from];
  }
  if (row.u_test) {
    const test = findTest(deps.store, row.u_test.trim());
    if (!test) return fail(`No configuration test matches '${row.u_test}'`);
    values.test = test.sys_id!;
  }
  if (row.u_cloud_resource_id) {
    const ci = findCi(deps.store, row.u_cloud_resource_id.trim());
    if (ci) values.cmdb_ci = ci.sys_id!;
    else messages.push(`No CI matches cloud resource id '${row.u_cloud_resource_id}'`);
  }
  const existing = [...deps.store.rows("sn_vulc_result")].find((r) => r.source === source && r.source_id === sourceId);
  let record: SnRecord;
  let status: RowResult["status"];
  try {
    if (existing) {
      const updated = deps.records.update(target, existing.sys_id!, values, actor, { useDisplayValue: false });
      record = updated.record;
      status = updated.changed.length > 0 ? "updated" : "ignored";
    } else {
      record = deps.records.insert(target, values, actor, { useDisplayValue: false });
      status = "inserted";
    }
  } catch (error) {
    return fail(error instanceof HttpError ? `${error.message}: ${error.detail ?? ""}` : "Transform failed");
  }
  return {
    ...base,
    display_value: record.number ?? "",
    record_link: `${origin}/api/now/table/sn_vulc_result/${record.sys_id}`,
    status,
    sys_id: record.sys_id!,
    status_message: messages.join("; "),
  };
}

function checkAccess(req: EmulatorRequest, deps: ImportDeps): Actor {
  const actor = deps.authorize(req);
  const settings = deps.settings();
  const staging = req.params.staging!;
  if (!settings.hasStagingTable || staging !== settings.stagingTable) {
    throw new HttpError(404, "RecordNotFound", "Invalid staging table", {}, `Table '${staging}' is not an import set staging table`);
  }
  const hasRole = actor.roles.includes("admin") || (settings.hasImportRole && actor.roles.includes("import_set_loader"));
  if (!hasRole) throw new HttpError(403, "Forbidden", "User Not Authorized", {}, "Inserting into an import set requires the import_set_loader role");
  return actor;
}

function runImport(req: EmulatorRequest, res: ServerResponse, deps: ImportDeps, readRows: () => Array<Record<string, string>>, isMultiple: boolean) {
  const actor = checkAccess(req, deps);
  const rows = readRows();
  const importSet = deps.store.nextNumber(IMPORT_SET_DEF);
  const result = rows.map((row) => transformRow(row, actor, req.origin, deps));
  const body: Record<string, unknown> = { import_set: importSet, staging_table: req.params.staging!, result };
  if (isMultiple) {
    body.import_set_id = randomBytes(16).toString("hex");
    body.multi_import_set_id = randomBytes(16).toString("hex");
  }
  sendJson(res, 201, body);
}

function strings(value: unknown): Record<string, string> {
  try {
    return bodyToStrings(value);
  } catch (error) {
    if (error instanceof InputError) throw new HttpError(400, "BadRequest", error.message, {}, error.detail);
    throw error;
  }
}

export function mountImportSetApi(router: Router, deps: ImportDeps): void {
  for (const prefix of ["/api/now/import", "/api/now/:version/import"]) {
    router.post(`${prefix}/:staging`, (req, res) => runImport(req, res, deps, () => [strings(req.body)], false));
    router.post(`${prefix}/:staging/insertMultiple`, (req, res) =>
      runImport(req, res, deps, () => {
        const records = (req.body as { records?: unknown } | undefined)?.records;
        if (!Array.isArray(records)) throw new HttpError(400, "BadRequest", "Exception while reading request", {}, 'The body must be {"records": [ … ]}');
        return records.map(strings);
      }, true),
    );
  }
}
