// Change Management REST API (plugin sn_chg_rest), the interface ServiceNow documents for integrations
// that create change requests (docs/EMULATORS.md, "Contract: ticket lifecycle"):
//   GET  /api/sn_chg_rest/change/standard/template[/{sys_id}]    standard change templates
//   POST /api/sn_chg_rest/change/normal | /emergency             a change of that type (model)
//   POST /api/sn_chg_rest/change/standard/{template sys_id}      a standard change from a template
// Field values come as query parameters or a JSON body (the body wins). Answers are 200 (not 201) with
// every field as {value, display_value} and `__meta.ignoredFields`: fields that do not exist or are
// read-only, and, for standard changes, the plan fields the template owns. Roles: GET itil,
// change_manager, sn_change_read or admin; POST itil, change_manager or admin. With the plugin absent
// (control API) every path answers 404.
import type { ServerResponse } from "node:http";
import { type EmulatorRequest, HttpError, type Router, sendJson } from "../common/http";
import { type Actor } from "./business-rules";
import { bodyToStrings, InputError } from "./input";
import { type LifecycleSettings } from "./lifecycle";
import { type RecordService } from "./records";
import { resolveTable } from "./schema";
import { renderRecord } from "./serialize";

export type StandardChangeTemplate = {
  sysId: string;
  name: string;
  shortDescription: string;
  category: string;
  /** Values every change from this template gets (they cannot be overridden). */
  values: Record<string, string>;
};

/** The two standard-change templates of the emulated instance (std_change_record_producer). */
export const STANDARD_CHANGE_TEMPLATES: StandardChangeTemplate[] = [
  {
    sysId: "3f5d7a1bc0a8016400b8a1d2c9e4f001",
    name: "Apply Azure security baseline configuration",
    shortDescription: "Apply a pre-approved Defender for Cloud recommendation to an Azure resource",
    category: "Security",
    values: {
      description: "Pre-approved: apply the Azure security baseline setting named in the short description to the listed resources.",
      implementation_plan:
        "1. Apply the setting through Azure Policy or the portal. 2. Confirm the resource is healthy in Defender for Cloud.",
      backout_plan: "Revert the setting to its previous value.",
      test_plan: "Defender for Cloud reports the resource healthy for the recommendation.",
      risk: "4",
    },
  },
  {
    sysId: "3f5d7a1bc0a8016400b8a1d2c9e4f002",
    name: "Rotate or renew a secret, key or certificate",
    shortDescription: "Rotate a Key Vault secret, key or certificate on its documented schedule",
    category: "Security",
    values: {
      description: "Pre-approved: rotate or renew the credential named in the short description.",
      implementation_plan: "1. Create the new version in Key Vault. 2. Update consumers. 3. Disable the old version.",
      backout_plan: "Re-enable the previous version.",
      test_plan: "Consumers authenticate with the new version; no errors in their logs.",
      risk: "4",
    },
  },
];

/** Fields the template owns on a standard change: a request cannot override them. */
const TEMPLATE_FIELDS = ["description", "backout_plan", "test_plan", "implementation_plan"];
const NEVER_WRITABLE = ["type", "chg_model", "std_change_producer_version", "state"];

const READ_ROLES = ["itil", "change_manager", "sn_change_read"];
const WRITE_ROLES = ["itil", "change_manager"];

export type ChangeApiDeps = {
  records: RecordService;
  authorize(req: EmulatorRequest): Actor;
  settings(): LifecycleSettings;
};

const cell = (value: string, display = value) => ({ value, display_value: display });

function templateView(t: StandardChangeTemplate) {
  return {
    sys_id: cell(t.sysId),
    name: cell(t.name),
    short_description: cell(t.shortDescription),
    category: cell(t.category),
    active: cell("true"),
  };
}

function requireRole(actor: Actor, roles: string[], operation: string): void {
  if (actor.roles.includes("admin") || roles.some((r) => actor.roles.includes(r))) return;
  throw new HttpError(403, "Forbidden", "User Not Authorized", {}, `${operation} requires one of the roles ${roles.join(", ")}`);
}

function inputOf(req: EmulatorRequest): Record<string, string> {
  const fromQuery: Record<string, string> = {};
  for (const [k, v] of req.query) if (!k.startsWith("sysparm_")) fromQuery[k] = v;
  try {
    return { ...fromQuery, ...(req.body === undefined ? {} : bodyToStrings(req.body)) };
  } catch (error) {
    if (error instanceof InputError) throw new HttpError(400, "BadRequest", error.message, {}, error.detail);
    throw error;
  }
}

export function mountChangeApi(router: Router, deps: ChangeApiDeps): void {
  const table = resolveTable("change_request")!;

  const installed = (req: EmulatorRequest) => {
    // Without the plugin the namespace does not exist at all.
    if (!deps.settings().changeApiInstalled)
      throw new HttpError(404, "PluginAbsent", "Requested URI does not represent any resource", {}, `No REST API at ${req.path}`);
    return deps.authorize(req);
  };

  const create = (
    req: EmulatorRequest,
    res: ServerResponse,
    type: "normal" | "emergency" | "standard",
    template?: StandardChangeTemplate,
  ) => {
    const actor = installed(req);
    requireRole(actor, WRITE_ROLES, "Creating a change");
    const input = inputOf(req);
    const ignored: string[] = [];
    const values: Record<string, string> = {};
    // Fields the instance does not accept (control API, lifecycle.ts) are listed like read-only ones.
    const notAccepted = new Set(
      deps
        .settings()
        .ignoredWrites.filter((r) => r.table === "change_request")
        .map((r) => r.field),
    );
    for (const [name, value] of Object.entries(input)) {
      const def = Object.hasOwn(table.def.fields, name) ? table.def.fields[name] : undefined;
      const isRefused =
        !def ||
        def.isReadOnly ||
        NEVER_WRITABLE.includes(name) ||
        notAccepted.has(name) ||
        (template !== undefined && TEMPLATE_FIELDS.includes(name));
      if (isRefused) ignored.push(name);
      else values[name] = value;
    }
    const record = deps.records.insert(table, { ...values, ...(template?.values ?? {}), type }, actor, { useDisplayValue: false });
    // The model and the template version are platform-owned (read-only to every caller): set on the
    // stored record like an "on insert" business rule would.
    record.chg_model = type;
    if (template) record.std_change_producer_version = template.sysId;
    const result = renderRecord(
      table.def,
      record,
      { displayValue: "all", excludeReferenceLink: true, origin: req.origin },
      deps.records.ctx,
    );
    sendJson(res, 200, { result: { ...result, __meta: { ignoredFields: ignored } } });
  };

  router.get("/api/sn_chg_rest/change/standard/template", (req, res) => {
    const actor = installed(req);
    requireRole(actor, READ_ROLES, "Reading standard change templates");
    const limit = Math.max(1, Number(req.query.get("sysparm_limit") ?? 500) || 500);
    const offset = Math.max(0, Number(req.query.get("sysparm_offset") ?? 0) || 0);
    const all = STANDARD_CHANGE_TEMPLATES.map(templateView);
    sendJson(res, 200, { result: all.slice(offset, offset + limit) }, { "x-total-count": String(all.length) });
  });
  router.get("/api/sn_chg_rest/change/standard/template/:sys_id", (req, res) => {
    const actor = installed(req);
    requireRole(actor, READ_ROLES, "Reading standard change templates");
    const t = STANDARD_CHANGE_TEMPLATES.find((x) => x.sysId === req.params.sys_id);
    if (!t) throw new HttpError(404, "RecordNotFound", "No Record found", {}, "Record doesn't exist or ACL restricts the record retrieval");
    sendJson(res, 200, { result: templateView(t) });
  });
  router.post("/api/sn_chg_rest/change/normal", (req, res) => create(req, res, "normal"));
  router.post("/api/sn_chg_rest/change/emergency", (req, res) => create(req, res, "emergency"));
  router.post("/api/sn_chg_rest/change/standard/:template", (req, res) => {
    installed(req);
    const t = STANDARD_CHANGE_TEMPLATES.find((x) => x.sysId === req.params.template);
    if (!t)
      throw new HttpError(
        400,
        "BadRequest",
        "Invalid standard change template",
        {},
        `No active standard change template with sys_id ${req.params.template}`,
      );
    create(req, res, "standard", t);
  });
}
