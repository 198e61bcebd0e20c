// ServiceNow's "Microsoft Defender for Cloud" Configuration Compliance integration, emulated inside the
// instance as ServiceNow documents it (docs/EMULATORS.md, "Contract: Configuration Compliance"): scheduled
// jobs, run as VR.System, that sign in with an Entra app registration (client credentials), read Defender
// from ARM over HTTPS and write the sn_vulc tables themselves — Configuration Compliance never receives
// results from outside. One run does, in the documented order:
//   1. Policy Definition Integration      → test groups (sn_vulc_policy), one per Defender category [INFERRED]
//   2. Assessment Metadata Integration    → tests (sn_vulc_test, source_id = assessment metadata name) and
//                                           their group membership (sn_vulc_policy_test)
//   3. Assessment Integration             → test results (sn_vulc_result, source_id = assessment ARM id) on
//                                           the CI whose object_id is the resource id (created if missing,
//                                           like the IRE does); only assessments whose status changed since
//                                           the last successful run ("Start Time"), all on the first run
//   4. remediation task rule "Assignment group, Test" → open failed results grouped into remediation
//      tasks (sn_vulc_result_group) through sn_vulc_m2m_result_result_group
//   5. state roll-up: a result that passes is Closed (Fixed); a task whose results are all closed is Closed
//      (Fixed); a Resolved task with a failing result goes back to Under Investigation.
// The schedule runs on the emulated clock; `POST /_emulator/cc/integration/run` is "Execute Now".
import { request } from "node:https";
import { stableHex } from "../common/rng";
import { type Actor } from "./business-rules";
import { formatSnDateTime } from "./dates";
import { type SnRecord } from "./query-engine";
import { type RecordService } from "./records";
import { DEFAULT_CI_CLASS, resolveTable } from "./schema";
import { type Store } from "./store";

export const DEFENDER_SOURCE = "Microsoft Defender for Cloud";
const API_VERSION = "2021-06-01";

/** Where the integration reads Defender: its configuration form (API URL, tenant, client id and secret). */
export type DefenderConnection = {
  tokenUrl: string;
  armUrl: string;
  clientId: string;
  clientSecret: string;
  subscriptionIds: string[];
  ca: string;
};

export type CcIntegrationSettings = {
  isScheduled: boolean;
  intervalMinutes: number;
  /** Assignment rule: every new remediation task goes to this group (by name); empty = per subscription, round robin. */
  assignmentGroup: string;
};

export type CcIntegrationReport = {
  startedAt: string;
  finishedAt: string;
  ok: boolean;
  error: string | null;
  testGroups: number;
  tests: number;
  assessments: number;
  resultsCreated: number;
  resultsUpdated: number;
  tasksCreated: number;
  tasksClosed: number;
  tasksReopened: number;
};

export type CcIntegrationState = {
  settings: CcIntegrationSettings;
  lastSuccessAt: number | null;
  nextRunAt: number;
  runs: number;
  lastReport: CcIntegrationReport | null;
};

/** Daily, like the Assessment Integration's default window; the first run is the platform's at start (or Execute Now). */
const DEFAULT_INTERVAL_MINUTES = 24 * 60;

export function createCcIntegrationState(now: number): CcIntegrationState {
  return {
    settings: { isScheduled: true, intervalMinutes: DEFAULT_INTERVAL_MINUTES, assignmentGroup: "" },
    lastSuccessAt: null,
    nextRunAt: now + DEFAULT_INTERVAL_MINUTES * 60_000,
    runs: 0,
    lastReport: null,
  };
}

const RUN_AS: Actor = { userName: "VR.System", name: "VR System", sysId: stableHex(32, "servicenow", "vr.system"), roles: ["admin"] };
const TASK = { open: "1", underInvestigation: "2", closed: "3", resolved: "101" };
const FIXED = "4";

type Json = Record<string, unknown>;

function httpsJson(
  url: string,
  ca: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Json> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: init.method ?? "GET", headers: { accept: "application/json", ...init.headers }, ca, timeout: 30_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if ((res.statusCode ?? 0) >= 400)
            return reject(new Error(`${init.method ?? "GET"} ${new URL(url).pathname} answered ${res.statusCode}: ${text.slice(0, 200)}`));
          try {
            resolve(JSON.parse(text) as Json);
          } catch {
            reject(new Error(`${new URL(url).pathname} did not answer JSON`));
          }
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    if (init.body) req.write(init.body);
    req.end();
  });
}

async function armList(conn: DefenderConnection, token: string, path: string): Promise<Json[]> {
  const out: Json[] = [];
  let url: string | null = `${conn.armUrl}${path}${path.includes("?") ? "&" : "?"}api-version=${API_VERSION}`;
  while (url) {
    const page = await httpsJson(url, conn.ca, { headers: { authorization: `Bearer ${token}` } });
    out.push(...((page.value as Json[] | undefined) ?? []));
    url = typeof page.nextLink === "string" ? page.nextLink : null;
  }
  return out;
}

const prop = (o: Json, ...path: string[]): unknown =>
  path.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Json)[k] : undefined), o);
const str = (v: unknown) => (typeof v === "string" ? v : "");
const RISK: Record<string, string> = { High: "2", Medium: "3", Low: "4" };

export function createDefenderIntegration(deps: {
  store: Store;
  records: RecordService;
  now: () => number;
  state: () => CcIntegrationState;
  connection: () => DefenderConnection | null;
}) {
  const table = (name: string) => resolveTable(name)!;
  const insert = (name: string, values: Record<string, string>) =>
    deps.records.insert(table(name), values, RUN_AS, { useDisplayValue: false, isForced: true });
  const update = (name: string, sysId: string, values: Record<string, string>) =>
    deps.records.update(table(name), sysId, values, RUN_AS, { useDisplayValue: false, isForced: true });
  const rows = (name: string): SnRecord[] => [...deps.store.rows(name)];
  const find = (name: string, pred: (r: SnRecord) => boolean) => rows(name).find(pred);
  let running: Promise<CcIntegrationReport> | null = null;

  async function runOnce(): Promise<CcIntegrationReport> {
    const state = deps.state();
    const started = deps.now();
    const report: CcIntegrationReport = {
      startedAt: new Date(started).toISOString(),
      finishedAt: "",
      ok: false,
      error: null,
      testGroups: 0,
      tests: 0,
      assessments: 0,
      resultsCreated: 0,
      resultsUpdated: 0,
      tasksCreated: 0,
      tasksClosed: 0,
      tasksReopened: 0,
    };
    try {
      const conn = deps.connection();
      if (!conn) throw new Error("The integration is not configured (no Azure endpoint yet)");
      const token = await httpsJson(conn.tokenUrl, conn.ca, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: conn.clientId,
          client_secret: conn.clientSecret,
          scope: "https://management.azure.com/.default",
        }).toString(),
      });
      const bearer = str(token.access_token);
      if (!bearer) throw new Error("The token endpoint returned no access_token");

      // 1 + 2: test groups and tests from assessment metadata.
      const metadata = await armList(conn, bearer, "/providers/Microsoft.Security/assessmentMetadata");
      const testOf = new Map<string, SnRecord>();
      for (const m of metadata) {
        const key = str(m.name).toLowerCase();
        if (!key) continue;
        const category = str((prop(m, "properties", "categories") as unknown[] | undefined)?.[0]) || "General";
        let policy = find("sn_vulc_policy", (p) => p.source === DEFENDER_SOURCE && p.source_id === `category:${category.toLowerCase()}`);
        if (!policy) {
          policy = insert("sn_vulc_policy", {
            name: `${DEFENDER_SOURCE} – ${category}`,
            source: DEFENDER_SOURCE,
            source_id: `category:${category.toLowerCase()}`,
            active: "true",
          });
          report.testGroups++;
        }
        const name = str(prop(m, "properties", "displayName")) || key;
        let test = find("sn_vulc_test", (t) => t.source === DEFENDER_SOURCE && t.source_id === key);
        if (!test) {
          test = insert("sn_vulc_test", {
            name: name.slice(0, 255),
            source: DEFENDER_SOURCE,
            source_id: key,
            category,
            risk_rating: RISK[str(prop(m, "properties", "severity"))] ?? "4",
            active: "true",
          });
          report.tests++;
        }
        const policyId = policy.sys_id!;
        const testId = test.sys_id!;
        if (!find("sn_vulc_policy_test", (pt) => pt.policy === policyId && pt.test === testId))
          insert("sn_vulc_policy_test", { policy: policyId, test: testId });
        testOf.set(key, test);
      }

      // 3: test results from assessments changed since the last successful run.
      const since = state.lastSuccessAt;
      const ciByObjectId = new Map(rows("cmdb_ci").map((c) => [(c.object_id ?? "").toLowerCase(), c] as const));
      const resultBySource = new Map(
        rows("sn_vulc_result")
          .filter((r) => r.source === DEFENDER_SOURCE)
          .map((r) => [r.source_id ?? "", r] as const),
      );
      const at = formatSnDateTime(deps.now());
      for (const subscriptionId of conn.subscriptionIds) {
        for (const a of await armList(conn, bearer, `/subscriptions/${subscriptionId}/providers/Microsoft.Security/assessments`)) {
          const code = str(prop(a, "properties", "status", "code"));
          const changed = Date.parse(str(prop(a, "properties", "status", "statusChangeDate")));
          if (since !== null && Number.isFinite(changed) && changed < since) continue;
          const test = testOf.get(str(a.name).toLowerCase());
          const resourceId = str(prop(a, "properties", "resourceDetails", "Id")) || str(prop(a, "properties", "resourceDetails", "id"));
          if (!test || !resourceId || (code !== "Healthy" && code !== "Unhealthy")) continue;
          report.assessments++;
          let ci = ciByObjectId.get(resourceId.toLowerCase());
          if (!ci) {
            // Identification and Reconciliation: an unmatched Azure resource becomes a CI.
            ci = insert(DEFAULT_CI_CLASS, {
              name: resourceId.split("/").at(-1) ?? resourceId,
              object_id: resourceId,
              discovery_source: DEFENDER_SOURCE,
              operational_status: "1",
              install_status: "1",
            });
            ciByObjectId.set(resourceId.toLowerCase(), ci);
          }
          const sourceId = str(a.id).toLowerCase();
          const result = code === "Unhealthy" ? "failed" : "passed";
          const existing = resultBySource.get(sourceId);
          const values: Record<string, string> = {
            result,
            last_found: at,
            actual: code,
            expected: "Healthy",
            test: test.sys_id!,
            cmdb_ci: ci.sys_id!,
          };
          if (result === "passed") Object.assign(values, { last_pass: at, state: "3", substate: FIXED, active: "false" });
          else if (!existing || existing.state === "3") Object.assign(values, { state: "1", substate: "", active: "true" });
          if (!existing) {
            const created = insert("sn_vulc_result", {
              ...values,
              source: DEFENDER_SOURCE,
              source_id: sourceId,
              first_found: at,
              risk_rating: test.risk_rating ?? "4",
            });
            resultBySource.set(sourceId, created);
            report.resultsCreated++;
          } else if (update("sn_vulc_result", existing.sys_id!, values).changed.length > 0) report.resultsUpdated++;
        }
      }

      // 4: remediation task rule "Assignment group, Test" over open failed results not yet in an open task.
      const groups = rows("sys_user_group");
      const fixedGroup = state.settings.assignmentGroup ? groups.find((g) => g.name === state.settings.assignmentGroup) : undefined;
      const groupFor = (ci: SnRecord | undefined) => {
        if (fixedGroup) return fixedGroup.sys_id!;
        const subscription = /\/subscriptions\/([^/]+)/i.exec(ci?.object_id ?? "")?.[1] ?? "";
        const idx = [...subscription].reduce((n, c) => n + c.charCodeAt(0), 0);
        return groups.length ? groups[idx % groups.length]!.sys_id! : "";
      };
      const m2m = rows("sn_vulc_m2m_result_result_group");
      const tasks = new Map(rows("sn_vulc_result_group").map((t) => [t.sys_id!, t] as const));
      const inOpenTask = new Set(m2m.filter((l) => tasks.get(l.group ?? "")?.state !== TASK.closed).map((l) => l.result));
      const openTaskByKey = new Map<string, SnRecord>();
      for (const l of m2m) {
        const t = tasks.get(l.group ?? "");
        const r = deps.store.get("sn_vulc_result", l.result ?? "");
        if (t && r && t.state !== TASK.closed) openTaskByKey.set(`${r.test}|${t.assignment_group}`, t);
      }
      for (const r of rows("sn_vulc_result")) {
        if (r.source !== DEFENDER_SOURCE || r.result !== "failed" || r.state === "3" || inOpenTask.has(r.sys_id)) continue;
        const group = groupFor(deps.store.get("cmdb_ci", r.cmdb_ci ?? ""));
        const key = `${r.test}|${group}`;
        let task = openTaskByKey.get(key);
        if (!task) {
          const test = deps.store.get("sn_vulc_test", r.test ?? "");
          task = insert("sn_vulc_result_group", {
            short_description: (test?.name ?? "Configuration test").slice(0, 160),
            assignment_group: group,
            risk_rating: test?.risk_rating ?? "4",
          });
          openTaskByKey.set(key, task);
          report.tasksCreated++;
        }
        insert("sn_vulc_m2m_result_result_group", { group: task.sys_id!, result: r.sys_id! });
        inOpenTask.add(r.sys_id);
      }

      // 5: roll-up of result states into their tasks.
      const links = rows("sn_vulc_m2m_result_result_group");
      for (const t of rows("sn_vulc_result_group")) {
        if (t.state === TASK.closed) continue;
        const results = links
          .filter((l) => l.group === t.sys_id)
          .map((l) => deps.store.get("sn_vulc_result", l.result ?? ""))
          .filter((r): r is SnRecord => r !== undefined);
        const allClosed = results.length > 0 && results.every((r) => r.state === "3");
        if (allClosed) {
          update("sn_vulc_result_group", t.sys_id!, {
            state: TASK.closed,
            substate: FIXED,
            close_notes: "All test results passed on the last scan (Closed - Fixed).",
          });
          report.tasksClosed++;
        } else if (t.state === TASK.resolved) {
          update("sn_vulc_result_group", t.sys_id!, { state: TASK.underInvestigation });
          report.tasksReopened++;
        }
      }
      report.ok = true;
      state.lastSuccessAt = started;
    } catch (error) {
      report.error = error instanceof Error ? error.message : String(error);
    }
    report.finishedAt = new Date(deps.now()).toISOString();
    state.runs++;
    state.lastReport = report;
    state.nextRunAt = deps.now() + state.settings.intervalMinutes * 60_000;
    return report;
  }

  return {
    /** "Execute Now": one run (joins the one in progress). */
    run(): Promise<CcIntegrationReport> {
      running ??= runOnce().finally(() => {
        running = null;
      });
      return running;
    },
    /** The scheduler's tick: runs when the emulated clock passed the next run time. */
    tick(): void {
      const state = deps.state();
      if (state.settings.isScheduled && !running && deps.now() >= state.nextRunAt && deps.connection()) void this.run();
    },
  };
}
