// The ServiceNow emulator: Table API, OAuth token endpoint, rate limits, an outbound webhook, the
// scheduled "Microsoft Defender for Cloud" Configuration Compliance integration and its own control routes, over the platform's HTTPS server (see ../common/platform.ts).
// docs/EMULATORS.md ("ServiceNow") describes the behaviour and the control API.
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRouter, type EmulatorRequest } from "../common/http";
import type { EmulatorContext, EmulatorModule } from "../common/platform";
import { authenticate, writeServiceNowError } from "./auth";
import { createServiceNowControlRouter } from "./control-api";
import { type CcIntegrationReport, type CcIntegrationState, createCcIntegrationState, createDefenderIntegration, type DefenderConnection } from "./defender-integration";
import { createOAuthServer, createOAuthState, DEFAULT_OAUTH_SETTINGS, type OAuthState } from "./oauth";
import { checkRateLimit, createRateLimitState, type RateLimitState } from "./rate-limit";
import { createRecordService } from "./records";
import { displayOf } from "./serialize";
import { seedStore } from "./seed";
import { createStore, type StoreSnapshot } from "./store";
import { mountTableApi } from "./table-api";
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
  /** "Execute Now" of the Defender CC integration (the platform runs it once at start). */
  runDefenderIntegration(): Promise<CcIntegrationReport>;
};

type Settings = { oauth: OAuthState; rateLimit: RateLimitState; webhook: WebhookState; cc: CcIntegrationState };

export type ServiceNowEmulatorOptions = {
  /** Where the Defender integration reads Azure (the ARM emulator and its Entra app registration); null until known. */
  defender?: () => DefenderConnection | null;
  /** Real milliseconds between checks of the integration's schedule on the emulated clock (default 2,000; 0 = no timer). */
  scheduleTickMs?: number;
};

type Snapshot = {
  kind: "servicenow";
  version: 1;
  store: StoreSnapshot;
  oauth: OAuthState;
  rateLimit: RateLimitState["rule"];
  webhook: WebhookState["settings"];
  cc?: CcIntegrationState;
};

export function createServiceNowEmulator(ctx: EmulatorContext, options: ServiceNowEmulatorOptions = {}): ServiceNowEmulator {
  const store = createStore();
  const now = () => ctx.clock.now();
  const freshSettings = (): Settings => ({ oauth: createOAuthState(), rateLimit: createRateLimitState(), webhook: createWebhookState(), cc: createCcIntegrationState(now()) });
  let settings = freshSettings();

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
  });

  const authorize = (req: EmulatorRequest) => {
    const actor = authenticate(req, oauth);
    checkRateLimit(settings.rateLimit, actor, now());
    return actor;
  };

  const api = createRouter({ writeError: writeServiceNowError });
  api.post("/oauth_token.do", (req, res) => oauth.handleToken(req, res));
  mountTableApi(api, {
    records,
    authorize,
    interceptPage: (req, res, page) => ctx.faults.interceptPage("servicenow", req.raw, res, page, writeServiceNowError),
    // Writes per table, for "the product never writes sn_vulc_*": counters of emulator "servicenow.table".
    onWrite: (method, table, status) => ctx.counters.record({ emulator: "servicenow.table", method, route: `/api/now/table/${table}`, status }),
  });
  const integration = createDefenderIntegration({ store, records, now, state: () => settings.cc, connection: () => options.defender?.() ?? null });
  const tickMs = options.scheduleTickMs ?? 2000;
  if (tickMs > 0) setInterval(() => integration.tick(), tickMs).unref();

  const control = createServiceNowControlRouter({
    records,
    oauth,
    rateLimit: () => settings.rateLimit,
    webhook: () => settings.webhook,
    cc: () => settings.cc,
    runIntegration: () => integration.run(),
    defaultUserName: () => ctx.world.people[0]?.userName ?? "admin",
  });

  const reset = () => {
    seedStore(store, ctx.world, ctx.rng, now());
    settings = freshSettings();
    records.invalidate();
  };
  reset();

  const [main, ...others] = API_USERS;
  return {
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
      return path.startsWith("/_emulator/") ? control.handle(req, res) : api.handle(req, res);
    },
    reset,
    snapshot(): Snapshot {
      return {
        kind: "servicenow",
        version: 1,
        store: store.snapshot(),
        oauth: structuredClone(settings.oauth),
        rateLimit: settings.rateLimit.rule,
        webhook: settings.webhook.settings,
        cc: structuredClone(settings.cc),
      };
    },
    restore(snapshot: unknown) {
      const s = snapshot as Partial<Snapshot> | null;
      if (!s || s.kind !== "servicenow" || s.version !== 1 || !s.store) throw new Error("Not a ServiceNow emulator snapshot (kind servicenow, version 1).");
      store.restore(s.store);
      settings = {
        oauth: s.oauth ?? { settings: { ...DEFAULT_OAUTH_SETTINGS }, access: {}, refresh: {} },
        rateLimit: { rule: s.rateLimit ?? null, counts: {} },
        webhook: { settings: s.webhook ?? null, deliveries: [] },
        cc: s.cc ?? createCcIntegrationState(now()),
      };
      records.invalidate();
    },
    writeError: writeServiceNowError,
    routeOf: (method, path) => api.templateFor(method, path),
  };
}
