// The ServiceNow emulator: Table API, OAuth token endpoint, rate limits, an outbound webhook, the
// scheduled "Microsoft Defender for Cloud" Configuration Compliance integration and its own control routes, over the platform's HTTPS server (see ../common/platform.ts).
// docs/EMULATORS.md ("ServiceNow") describes the behaviour and the control API.
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRouter, type EmulatorRequest } from "../common/http";
import type { EmulatorContext, EmulatorModule } from "../common/platform";
import { authenticate, writeServiceNowError } from "./auth";
import { mountChangeApi } from "./change-api";
import { createServiceNowControlRouter } from "./control-api";
import { defaultLifecycleSettings, type LifecycleSettings, mountLifecycleControl, withoutIgnoredWrites } from "./lifecycle";
import {
  type CcIntegrationReport,
  type CcIntegrationState,
  createCcIntegrationState,
  createDefenderIntegration,
  type DefenderConnection,
} from "./defender-integration";
import { createOAuthServer, createOAuthState, DEFAULT_OAUTH_SETTINGS, type OAuthState } from "./oauth";
import { checkDataPolicies, reseedMetadata } from "./dictionary";
import { formatSnDateTime } from "./dates";
import { type ServiceNowProfileName, serviceNowProfile, withProfile } from "./profiles";
import { checkRateLimit, createRateLimitState, type RateLimitState } from "./rate-limit";
import { createRecordService } from "./records";
import { displayOf } from "./serialize";
import { seedStore } from "./seed";
import { createStore, type StoreSnapshot } from "./store";
import { mountTableApi, tableOf as baseTableOf } from "./table-api";
import { API_USERS, OAUTH_CLIENT } from "./users";
import { createWebhookState, fireWebhook, type WebhookState, webhookPayload } from "./webhook";

export type ServiceNowCredentials = {
  username: string;
  password: string;
  oauthClientId: string;
  oauthClientSecret: string;
  /** Further accounts for permission tests ("Test connection"): ITSM only, read-only, admin. */
  otherUsers: Array<{ username: string; password: string; roles: string[]; description: string }>;
};

export type ServiceNowEmulator = EmulatorModule & {
  credentials: ServiceNowCredentials;
  profile: ServiceNowProfileName;
  /** "Execute Now" of the Defender CC integration (the platform runs it once at start). */
  runDefenderIntegration(): Promise<CcIntegrationReport>;
};

export type ServiceNowEmulatorOptions = {
  /** Instance profile (profiles.ts); default baseline. */
  profile?: ServiceNowProfileName;
  /** Where the Defender integration reads Azure (the ARM emulator and its Entra app registration); null until known. */
  defender?: () => DefenderConnection | null;
  /** Real milliseconds between checks of the integration's schedule on the emulated clock (default 2,000; 0 = no timer). */
  scheduleTickMs?: number;
};

type Settings = {
  oauth: OAuthState;
  rateLimit: RateLimitState;
  webhook: WebhookState;
  cc: CcIntegrationState;
  lifecycle: LifecycleSettings;
};

type Snapshot = {
  kind: "servicenow";
  version: 1;
  /** Absent in snapshots of older versions: baseline. */
  profile?: ServiceNowProfileName;
  store: StoreSnapshot;
  oauth: OAuthState;
  rateLimit: RateLimitState["rule"];
  webhook: WebhookState["settings"];
  cc?: CcIntegrationState;
  lifecycle?: LifecycleSettings;
};

export function createServiceNowEmulator(ctx: EmulatorContext, options: ServiceNowEmulatorOptions = {}): ServiceNowEmulator {
  const profile = serviceNowProfile(options.profile);
  const store = createStore();
  const now = () => ctx.clock.now();
  const freshSettings = (): Settings => {
    const rateLimit = createRateLimitState();
    rateLimit.rule = profile.rateLimit ? { ...profile.rateLimit } : null;
    return {
      oauth: createOAuthState(),
      rateLimit,
      webhook: createWebhookState(),
      cc: createCcIntegrationState(now()),
      lifecycle: defaultLifecycleSettings(),
    };
  };
  let settings = freshSettings();
  const tableOf = (name: string) => withProfile(baseTableOf(name), profile);
  // The response of each request in flight, so the rate limit can add its headers to successful answers.
  const responses = new WeakMap<IncomingMessage, ServerResponse>();

  const oauth = createOAuthServer(() => settings.oauth, now);
  const records = createRecordService(store, now, {
    onUpdate(table, record, changed) {
      if (!table.def.isWebhookSource) return;
      const payload = webhookPayload(table.storage, record, changed, (field) => {
        const def = table.def.fields[field];
        return def ? displayOf(table.def, def, record[field] ?? "", record, records.ctx) : "";
      });
      void fireWebhook(settings.webhook, table.storage, payload);
    },
    checkPolicies: (table, record) => checkDataPolicies(store, table, record, records.ctx),
  });

  const authorize = (req: EmulatorRequest) => {
    const actor = authenticate(req, oauth);
    const headers = checkRateLimit(settings.rateLimit, actor, now());
    const res = responses.get(req.raw);
    if (res && !res.headersSent) for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    return actor;
  };

  const api = createRouter({ writeError: writeServiceNowError });
  api.post("/oauth_token.do", (req, res) => oauth.handleToken(req, res));
  mountTableApi(api, {
    records,
    authorize,
    tableOf,
    interceptPage: (req, res, page) => ctx.faults.interceptPage("servicenow", req.raw, res, page, writeServiceNowError),
    withoutIgnoredWrites: (table, body) => withoutIgnoredWrites(settings.lifecycle, table, body),
    // Writes per table, for "the product never writes sn_vulc_*": counters of emulator "servicenow.table".
    onWrite: (method, table, status) =>
      ctx.counters.record({ emulator: "servicenow.table", method, route: `/api/now/table/${table}`, status }),
  });
  mountChangeApi(api, { records, authorize, settings: () => settings.lifecycle });
  const integration = createDefenderIntegration({
    store,
    records,
    now,
    state: () => settings.cc,
    connection: () => options.defender?.() ?? null,
  });
  const tickMs = options.scheduleTickMs ?? 2000;
  if (tickMs > 0) setInterval(() => integration.tick(), tickMs).unref();

  const control = createServiceNowControlRouter({
    records,
    oauth,
    rateLimit: () => settings.rateLimit,
    webhook: () => settings.webhook,
    cc: () => settings.cc,
    tableOf,
    runIntegration: () => integration.run(),
    defaultUserName: () => ctx.world.people[0]?.userName ?? "admin",
  });
  mountLifecycleControl(control, () => settings.lifecycle);

  const reset = () => {
    seedStore(store, ctx.world, ctx.rng, now(), profile);
    settings = freshSettings();
    records.invalidate();
  };
  reset();

  const [main, ...others] = API_USERS;
  return {
    profile: profile.name,
    credentials: {
      username: main!.userName,
      password: main!.password,
      oauthClientId: OAUTH_CLIENT.clientId,
      oauthClientSecret: OAUTH_CLIENT.clientSecret,
      otherUsers: others.map((u) => ({ username: u.userName, password: u.password, roles: u.roles, description: u.description })),
    },
    runDefenderIntegration: () => integration.run(),
    handle(req: IncomingMessage, res: ServerResponse) {
      const path = (req.url ?? "/").split("?")[0]!;
      if (path.startsWith("/_emulator/")) return control.handle(req, res);
      responses.set(req, res);
      return api.handle(req, res);
    },
    reset,
    snapshot(): Snapshot {
      return {
        kind: "servicenow",
        version: 1,
        profile: profile.name,
        store: store.snapshot(),
        oauth: structuredClone(settings.oauth),
        rateLimit: settings.rateLimit.rule,
        webhook: settings.webhook.settings,
        cc: structuredClone(settings.cc),
        lifecycle: structuredClone(settings.lifecycle),
      };
    },
    restore(snapshot: unknown) {
      const s = snapshot as Partial<Snapshot> | null;
      if (!s || s.kind !== "servicenow" || s.version !== 1 || !s.store)
        throw new Error("Not a ServiceNow emulator snapshot (kind servicenow, version 1).");
      store.restore(s.store);
      // Taken under another profile: the instance keeps its records but gets this profile's metadata.
      if ((s.profile ?? "baseline") !== profile.name) reseedMetadata(store, profile, formatSnDateTime(now()));
      settings = {
        oauth: s.oauth ?? { settings: { ...DEFAULT_OAUTH_SETTINGS }, access: {}, refresh: {} },
        rateLimit: { rule: (s.profile ?? "baseline") !== profile.name ? profile.rateLimit : (s.rateLimit ?? null), counts: {} },
        webhook: { settings: s.webhook ?? null, deliveries: [] },
        cc: s.cc ?? createCcIntegrationState(now()),
        lifecycle: s.lifecycle ? structuredClone(s.lifecycle) : defaultLifecycleSettings(),
      };
      records.invalidate();
    },
    writeError: writeServiceNowError,
    routeOf: (method, path) => api.templateFor(method, path),
  };
}
