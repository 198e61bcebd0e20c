// ServiceNow-specific control routes (JSON, no auth, on the emulator's own port):
//   GET    /_emulator/credentials                       API accounts and the OAuth client
//   GET    /_emulator/records/{table}                   ?sysparm_query=&limit=&offset= stored values
//   GET    /_emulator/records/{table}/{sys_id}          stored values + journal entries
//   POST   /_emulator/records/{table}                   create as a user   {fields, user?, inputDisplayValue?}
//   POST   /_emulator/records/{table}/bulk              create many (≤ 20,000) as a user {records: [fields], user?, force?}
//   PATCH  /_emulator/records/{table}/{sys_id}          change as a user   {fields, user?, inputDisplayValue?, force?}
//   DELETE /_emulator/records/{table}/{sys_id}
//   GET|PUT /_emulator/oauth                            token lifetimes, refresh rotation, client_credentials
//   POST   /_emulator/oauth/revoke                      forget issued tokens {accessTokensOnly?}: the next
//                                                       call with a cached access token gets 401
//   GET|PUT|DELETE /_emulator/rate-limit                {limitPerHour, users?, roles?}
//   GET|PUT /_emulator/cc/integration                   the Defender CC integration: schedule, last run {isScheduled?, intervalMinutes?, assignmentGroup?}
//   POST   /_emulator/cc/integration/run                "Execute Now": one run, answers its report
//   GET|PUT|DELETE /_emulator/webhook                   {url, secret, tables?}
//   GET|DELETE /_emulator/webhook/deliveries
// Changes made here run the same business rules and fire the same webhook as the Table API. `force`
// acts as an administrator overriding the state model and read-only states (data policies still apply).
import { z } from "zod";
import { writeControlError } from "../common/control";
import { createRouter, type EmulatorRequest, HttpError, type Router, sendEmpty, sendJson } from "../common/http";
import { type Actor } from "./business-rules";
import { type CcIntegrationReport, type CcIntegrationState } from "./defender-integration";
import { type OAuthServer, type OAuthSettings } from "./oauth";
import { type RateLimitState, ZRateLimitRule } from "./rate-limit";
import { notFound, type RecordService } from "./records";
import { type tableOf } from "./table-api";
import { API_USERS, actorOf, OAUTH_CLIENT } from "./users";
import { DEFAULT_WEBHOOK_TABLES, type WebhookState, ZWebhookSettings } from "./webhook";

export type ControlDeps = {
  records: RecordService;
  oauth: OAuthServer;
  rateLimit(): RateLimitState;
  webhook(): WebhookState;
  cc(): CcIntegrationState;
  runIntegration(): Promise<CcIntegrationReport>;
  /** The instance's view of a table (its profile's custom fields). */
  tableOf(name: string): ReturnType<typeof tableOf>;
  /** The user a control change acts as when none is named. */
  defaultUserName(): string;
};

const ZFields = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
const ZChange = z
  .object({
    fields: ZFields,
    user: z.string().trim().min(1).optional(),
    inputDisplayValue: z.boolean().optional(),
    force: z.boolean().optional(),
  })
  .strict();
const ZBulk = z
  .object({ records: z.array(ZFields).min(1).max(20_000), user: z.string().trim().min(1).optional(), force: z.boolean().optional() })
  .strict();
const ZOAuthSettings = z
  .object({
    accessTokenLifetimeSeconds: z
      .number()
      .int()
      .min(1)
      .max(365 * 24 * 3600)
      .optional(),
    refreshTokenLifetimeSeconds: z
      .number()
      .int()
      .min(1)
      .max(10 * 365 * 24 * 3600)
      .optional(),
    rotateRefreshTokens: z.boolean().optional(),
    clientCredentialsEnabled: z.boolean().optional(),
  })
  .strict();
const ZCc = z
  .object({
    isScheduled: z.boolean().optional(),
    intervalMinutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .optional(),
    assignmentGroup: z.string().trim().max(200).optional(),
  })
  .strict();

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) {
    const detail = result.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ");
    throw new HttpError(400, "InvalidControlRequest", "The control request body is not valid.", {}, detail);
  }
  return result.data;
}

function actorFor(name: string, deps: ControlDeps): Actor {
  const api = API_USERS.find((u) => u.userName === name);
  if (api) return actorOf(api);
  const user = [...deps.records.ctx.rows("sys_user")].find((u) => u.user_name === name);
  if (!user) throw new HttpError(400, "UnknownUser", `No sys_user with user_name '${name}'.`);
  // Seeded people are fulfillers: they may work ITSM tickets and CC remediation tasks.
  return { userName: name, sysId: user.sys_id!, name: user.name ?? name, roles: ["itil", "sn_vulc.admin"] };
}

const stringify = (fields: z.infer<typeof ZFields>) =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v === null ? "" : String(v)]));

export function createServiceNowControlRouter(deps: ControlDeps): Router {
  const router = createRouter({ writeError: writeControlError, maxBodyBytes: 64 * 1024 * 1024 });
  const withJournal = (table: string, rec: Record<string, string>) => ({
    result: rec,
    journal: deps.records.ctx.journalEntries(table, rec.sys_id ?? ""),
  });

  router.get("/_emulator/credentials", (_req, res) =>
    sendJson(res, 200, {
      users: API_USERS.map((u) => ({ username: u.userName, password: u.password, roles: u.roles, description: u.description })),
      oauth: { clientId: OAUTH_CLIENT.clientId, clientSecret: OAUTH_CLIENT.clientSecret, tokenUrl: "/oauth_token.do" },
    }),
  );

  router.get("/_emulator/records/:table", (req: EmulatorRequest, res) => {
    const table = deps.tableOf(req.params.table!);
    const limit = Math.min(Number(req.query.get("limit") ?? 100) || 100, 10_000);
    const offset = Math.max(Number(req.query.get("offset") ?? 0) || 0, 0);
    const { rows, ignored } = deps.records.list(table, req.query.get("sysparm_query"));
    sendJson(res, 200, { result: rows.slice(offset, offset + limit), total: rows.length, ignoredConditions: ignored });
  });
  router.get("/_emulator/records/:table/:sys_id", (req, res) => {
    const table = deps.tableOf(req.params.table!);
    const rec = deps.records.get(table, req.params.sys_id!);
    if (!rec) throw notFound();
    sendJson(res, 200, withJournal(table.storage, rec));
  });
  router.post("/_emulator/records/:table", (req, res) => {
    const table = deps.tableOf(req.params.table!);
    const body = parse(ZChange, req.body);
    const actor = actorFor(body.user ?? deps.defaultUserName(), deps);
    const rec = deps.records.insert(table, stringify(body.fields), actor, {
      useDisplayValue: body.inputDisplayValue ?? false,
      isForced: body.force,
    });
    sendJson(res, 201, withJournal(table.storage, rec));
  });
  router.post("/_emulator/records/:table/bulk", (req, res) => {
    const table = deps.tableOf(req.params.table!);
    const body = parse(ZBulk, req.body);
    const actor = actorFor(body.user ?? deps.defaultUserName(), deps);
    for (const fields of body.records)
      deps.records.insert(table, stringify(fields), actor, { useDisplayValue: false, isForced: body.force });
    sendJson(res, 201, { inserted: body.records.length });
  });
  router.patch("/_emulator/records/:table/:sys_id", (req, res) => {
    const table = deps.tableOf(req.params.table!);
    const body = parse(ZChange, req.body);
    const actor = actorFor(body.user ?? deps.defaultUserName(), deps);
    const options = { useDisplayValue: body.inputDisplayValue ?? false, isForced: body.force };
    const { record, changed } = deps.records.update(table, req.params.sys_id!, stringify(body.fields), actor, options);
    sendJson(res, 200, { ...withJournal(table.storage, record), changed });
  });
  router.delete("/_emulator/records/:table/:sys_id", (req, res) => {
    deps.records.remove(deps.tableOf(req.params.table!), req.params.sys_id!);
    sendEmpty(res, 204);
  });

  router.get("/_emulator/oauth", (_req, res) => sendJson(res, 200, deps.oauth.state.settings));
  router.put("/_emulator/oauth", (req, res) => {
    const changes = parse(ZOAuthSettings, req.body);
    const settings: OAuthSettings = { ...deps.oauth.state.settings, ...changes };
    deps.oauth.state.settings = settings;
    sendJson(res, 200, settings);
  });
  router.post("/_emulator/oauth/revoke", (req, res) => {
    const body = parse(z.object({ accessTokensOnly: z.boolean().optional() }).strict(), req.body);
    deps.oauth.revoke({ accessOnly: body.accessTokensOnly });
    sendEmpty(res, 204);
  });

  router.get("/_emulator/rate-limit", (_req, res) => sendJson(res, 200, { rule: deps.rateLimit().rule }));
  router.put("/_emulator/rate-limit", (req, res) => {
    const state = deps.rateLimit();
    state.rule = parse(ZRateLimitRule, req.body);
    state.counts = {};
    sendJson(res, 200, { rule: state.rule });
  });
  router.delete("/_emulator/rate-limit", (_req, res) => {
    const state = deps.rateLimit();
    state.rule = null;
    state.counts = {};
    sendEmpty(res, 204);
  });

  const ccView = () => {
    const s = deps.cc();
    return {
      ...s.settings,
      lastSuccessAt: s.lastSuccessAt ? new Date(s.lastSuccessAt).toISOString() : null,
      nextRunAt: new Date(s.nextRunAt).toISOString(),
      runs: s.runs,
      lastReport: s.lastReport,
    };
  };
  router.get("/_emulator/cc/integration", (_req, res) => sendJson(res, 200, ccView()));
  router.put("/_emulator/cc/integration", (req, res) => {
    Object.assign(deps.cc().settings, parse(ZCc, req.body));
    sendJson(res, 200, ccView());
  });
  router.post("/_emulator/cc/integration/run", async (_req, res) => sendJson(res, 200, await deps.runIntegration()));

  const webhookView = () => {
    const settings = deps.webhook().settings;
    return settings ? { url: settings.url, tables: settings.tables, hasSecret: true } : null;
  };
  router.get("/_emulator/webhook", (_req, res) => sendJson(res, 200, { webhook: webhookView() }));
  router.put("/_emulator/webhook", (req, res) => {
    const input = parse(ZWebhookSettings, req.body);
    deps.webhook().settings = { url: input.url, secret: input.secret, tables: input.tables ?? [...DEFAULT_WEBHOOK_TABLES] };
    sendJson(res, 200, { webhook: webhookView() });
  });
  router.delete("/_emulator/webhook", (_req, res) => {
    deps.webhook().settings = null;
    sendEmpty(res, 204);
  });
  router.get("/_emulator/webhook/deliveries", (_req, res) => sendJson(res, 200, { value: deps.webhook().deliveries }));
  router.delete("/_emulator/webhook/deliveries", (_req, res) => {
    deps.webhook().deliveries = [];
    sendEmpty(res, 204);
  });
  return router;
}
