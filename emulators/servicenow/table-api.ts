// Table API: /api/now/table/{table}[/{sys_id}] and the versioned /api/now/{v1|v2}/table/… paths.
//   GET list   sysparm_query, sysparm_fields, sysparm_limit (default 10000), sysparm_offset,
//              sysparm_display_value, sysparm_exclude_reference_link, sysparm_no_count,
//              sysparm_suppress_pagination_header, and field=value pairs; answers Link and X-Total-Count.
//   GET one, POST (201 + Location), PATCH and PUT (both partial updates, like the platform), DELETE (204).
// v1 answers 404 for a listing with no rows; v2 (the default) answers 200 with an empty array.
import type { ServerResponse } from "node:http";
import { type EmulatorRequest, HttpError, type Router, sendEmpty, sendJson } from "../common/http";
import { type Actor } from "./business-rules";
import { choicesFor } from "./choices";
import { bodyToStrings, InputError } from "./input";
import { notFound, type RecordService } from "./records";
import { type ResolvedTable, resolveTable } from "./schema";
import { type DisplayMode, type RenderOptions, renderRecord } from "./serialize";
import { canDelete, canRead, canWrite } from "./users";

export type TableApiDeps = {
  records: RecordService;
  /** Authenticates and applies the rate limit; throws 401/429. */
  authorize(req: EmulatorRequest): Actor;
  /** Page-N fault hook; true when the fault answered the request. */
  interceptPage(req: EmulatorRequest, res: ServerResponse, page: number): Promise<boolean>;
  /** An update body without the fields the instance accepts but does not apply (lifecycle.ts). */
  withoutIgnoredWrites?(table: string, body: Record<string, string>): Record<string, string>;
  /** The instance's view of a table (its profile's custom fields); default: the base definition. */
  tableOf?(name: string): ResolvedTable;
  /** Every write attempt (POST, PATCH/PUT, DELETE) by table with the status it got. */
  onWrite?(method: string, table: string, status: number): void;
};

const DEFAULT_LIMIT = 10_000;

const isTrue = (value: string | null) => (value ?? "").toLowerCase() === "true";

function displayMode(value: string | null): DisplayMode {
  const v = (value ?? "").toLowerCase();
  return v === "true" || v === "all" ? v : "false";
}

function intParam(value: string | null, fallback: number, min: number): number {
  if (value === null || value.trim() === "") return fallback;
  const n = Number(value);
  return Number.isInteger(n) && n >= min ? n : fallback;
}

export function renderOptions(req: EmulatorRequest): RenderOptions {
  const fields = (req.query.get("sysparm_fields") ?? "")
    .split(",")
    .map((f) => f.trim())
    .filter(Boolean);
  return {
    displayValue: displayMode(req.query.get("sysparm_display_value")),
    excludeReferenceLink: isTrue(req.query.get("sysparm_exclude_reference_link")),
    fields: fields.length > 0 ? fields : undefined,
    origin: req.origin,
  };
}

function checkVersion(req: EmulatorRequest): "v1" | "v2" {
  const version = req.params.version;
  if (version === undefined || version === "v2") return "v2";
  if (version === "v1") return "v1";
  throw new HttpError(400, "NotFound", "Requested URI does not represent any resource");
}

export function tableOf(name: string): ResolvedTable {
  const table = resolveTable(name);
  if (!table) throw new HttpError(400, "InvalidTable", `Invalid table ${name}`);
  return table;
}

const aclFailure = (operation: string) =>
  new HttpError(403, "Forbidden", "Operation Failed", {}, `ACL Exception ${operation} Failed due to security constraints`);

const readFailure = (table: string) =>
  new HttpError(403, "Forbidden", "User Not Authorized", {}, `ACL Exception Read Failed due to security constraints (table ${table})`);

/** `field=value` query parameters (the documented alternative to sysparm_query) as encoded conditions. */
function nameValueConditions(req: EmulatorRequest, table: ResolvedTable, records: RecordService): string[] {
  const out: string[] = [];
  for (const [key, raw] of req.query) {
    if (key.startsWith("sysparm_")) continue;
    const def = Object.hasOwn(table.def.fields, key) ? table.def.fields[key] : undefined;
    if (!def) continue;
    let value = raw;
    const choice = choicesFor(table.storage, key)?.find((c) => c.label.toLowerCase() === raw.toLowerCase());
    if (choice) value = choice.value;
    if (def.type === "reference" && def.reference) {
      const target = resolveTable(def.reference);
      const match = target
        ? [...records.ctx.rows(target.storage)].find((r) => (r[target.def.displayField] ?? "").toLowerCase() === raw.toLowerCase())
        : undefined;
      if (match) value = match.sys_id!;
    }
    out.push(`${key}=${value.replaceAll("^", "^^")}`);
  }
  return out;
}

function linkHeader(req: EmulatorRequest, offset: number, limit: number, total: number | null, pageSize: number): string {
  const at = (o: number) => {
    const url = new URL(req.url.pathname, req.origin);
    for (const [k, v] of req.query) if (k !== "sysparm_offset" && k !== "sysparm_limit") url.searchParams.append(k, v);
    url.searchParams.set("sysparm_offset", String(o));
    url.searchParams.set("sysparm_limit", String(limit));
    return url.toString();
  };
  const links = [`<${at(0)}>;rel="first"`];
  if (offset > 0) links.push(`<${at(Math.max(0, offset - limit))}>;rel="prev"`);
  const hasNext = total === null ? pageSize === limit : offset + limit < total;
  if (hasNext) links.push(`<${at(offset + limit)}>;rel="next"`);
  if (total !== null) links.push(`<${at(total === 0 ? 0 : Math.floor((total - 1) / limit) * limit)}>;rel="last"`);
  return links.join(",");
}

function writeOptions(req: EmulatorRequest) {
  return { useDisplayValue: isTrue(req.query.get("sysparm_input_display_value")) };
}

function parseBody(req: EmulatorRequest): Record<string, string> {
  try {
    return bodyToStrings(req.body);
  } catch (error) {
    if (error instanceof InputError) throw new HttpError(400, "BadRequest", error.message, {}, error.detail);
    throw error;
  }
}

function sendRecord(
  req: EmulatorRequest,
  res: ServerResponse,
  status: number,
  table: ResolvedTable,
  record: Record<string, string>,
  deps: TableApiDeps,
  headers: Record<string, string> = {},
) {
  if (isTrue(String(req.headers["x-no-response-body"] ?? ""))) return sendEmpty(res, status === 201 ? 201 : 204, headers);
  sendJson(res, status, { result: renderRecord(table.def, record, renderOptions(req), deps.records.ctx) }, headers);
}

export function mountTableApi(router: Router, deps: TableApiDeps): void {
  const resolve = deps.tableOf ?? tableOf;
  const list = async (req: EmulatorRequest, res: ServerResponse) => {
    const version = checkVersion(req);
    const actor = deps.authorize(req);
    const table = resolve(req.params.table!);
    if (!canRead(actor, table.def)) throw readFailure(table.def.name);
    const limit = intParam(req.query.get("sysparm_limit"), DEFAULT_LIMIT, 1);
    const offset = intParam(req.query.get("sysparm_offset"), 0, 0);
    const conditions = [req.query.get("sysparm_query") ?? "", ...nameValueConditions(req, table, deps.records)].filter(Boolean);
    const { rows } = deps.records.list(table, conditions.join("^"));
    if (await deps.interceptPage(req, res, Math.floor(offset / limit) + 1)) return;
    const page = rows.slice(offset, offset + limit);
    if (version === "v1" && page.length === 0)
      throw new HttpError(
        404,
        "RecordNotFound",
        "No Record found",
        {},
        "Records matching query not found. Check query parameter or offset parameter",
      );
    const isCounted = !isTrue(req.query.get("sysparm_no_count"));
    const headers: Record<string, string> = {};
    if (isCounted) headers["x-total-count"] = String(rows.length);
    if (!isTrue(req.query.get("sysparm_suppress_pagination_header"))) {
      headers.link = linkHeader(req, offset, limit, isCounted ? rows.length : null, page.length);
    }
    const options = renderOptions(req);
    sendJson(res, 200, { result: page.map((r) => renderRecord(table.def, r, options, deps.records.ctx)) }, headers);
  };

  const getOne = (req: EmulatorRequest, res: ServerResponse) => {
    checkVersion(req);
    const actor = deps.authorize(req);
    const table = resolve(req.params.table!);
    if (!canRead(actor, table.def)) throw readFailure(table.def.name);
    const record = deps.records.get(table, req.params.sys_id!);
    if (!record) throw notFound();
    sendRecord(req, res, 200, table, record, deps);
  };

  const create = (req: EmulatorRequest, res: ServerResponse) => {
    checkVersion(req);
    const actor = deps.authorize(req);
    const table = resolve(req.params.table!);
    if (!canWrite(actor, table.def)) throw aclFailure("Insert");
    const record = deps.records.insert(table, parseBody(req), actor, writeOptions(req));
    const location = `${req.origin}/api/now/table/${table.def.name}/${record.sys_id}`;
    sendRecord(req, res, 201, table, record, deps, { location });
  };

  const update = (req: EmulatorRequest, res: ServerResponse) => {
    checkVersion(req);
    const actor = deps.authorize(req);
    const table = resolve(req.params.table!);
    if (!canRead(actor, table.def)) throw readFailure(table.def.name);
    if (!deps.records.get(table, req.params.sys_id!)) throw notFound();
    if (!canWrite(actor, table.def)) throw aclFailure("Update");
    const body = parseBody(req);
    const applied = deps.withoutIgnoredWrites ? deps.withoutIgnoredWrites(table.storage, body) : body;
    const { record } = deps.records.update(table, req.params.sys_id!, applied, actor, writeOptions(req));
    sendRecord(req, res, 200, table, record, deps);
  };

  const remove = (req: EmulatorRequest, res: ServerResponse) => {
    checkVersion(req);
    const actor = deps.authorize(req);
    const table = resolve(req.params.table!);
    if (!deps.records.get(table, req.params.sys_id!)) throw notFound();
    if (!canDelete(actor, table.def)) throw aclFailure("Delete");
    deps.records.remove(table, req.params.sys_id!);
    sendEmpty(res, 204);
  };

  const counted = (handler: (req: EmulatorRequest, res: ServerResponse) => void) => (req: EmulatorRequest, res: ServerResponse) => {
    try {
      handler(req, res);
      deps.onWrite?.(req.method, req.params.table!, res.statusCode);
    } catch (error) {
      deps.onWrite?.(req.method, req.params.table!, error instanceof HttpError ? error.status : 500);
      throw error;
    }
  };
  for (const prefix of ["/api/now/table", "/api/now/:version/table"]) {
    router.get(`${prefix}/:table`, list);
    router.post(`${prefix}/:table`, counted(create));
    router.get(`${prefix}/:table/:sys_id`, getOne);
    router.patch(`${prefix}/:table/:sys_id`, counted(update));
    router.put(`${prefix}/:table/:sys_id`, counted(update));
    router.delete(`${prefix}/:table/:sys_id`, counted(remove));
  }
}
