import "server-only";

// "Test connection": checks, in order, that the instance URL may be called, that the credentials sign
// in (reading the integration user's own sys_user record), that each table the enabled modules use can
// be read, that ServiceNow's Defender integration has delivered CC test results (when CC is on), that
// the default assignment group and caller exist, and whether the Change Management API (sn_chg_rest)
// is installed (else change requests fall back to the Table API) — one step per check, each with a
// message that says what to fix. Write permissions cannot be probed without writing; ServiceNow's own
// refusal is shown when the first ticket is created.
import { type Actor } from "@/lib/auth/actor";
import { checkDefenderIntegration } from "@/lib/compliance-cc/check";
import { refreshConnectionSchema } from "@/lib/instance-schema/store";
import { db } from "@/lib/db";
import { AppError } from "@/lib/http/errors";
import { type TConnectionTestResult, type TConnectionTestStep } from "@/lib/schemas/connections";
import { cellValue, isChangeApiAbsent, listStandardTemplates, q, type ServiceNowClient, type ServiceNowTable } from "@/lib/servicenow";
import { assertRole } from "@/lib/auth/authorize";
import { assertInstanceUrlAllowed, serviceNowClientFor, WITH_CREDENTIALS } from "./client";
import { type DirectoryMatch, findGroup, findUser } from "./directory";
import { describeServiceNowFailure } from "./failure";

const ITSM_TABLES: Array<{ table: ServiceNowTable; role: string }> = [
  { table: "incident", role: "itil" },
  { table: "problem", role: "itil" },
  { table: "change_request", role: "itil" },
  { table: "sys_user_group", role: "itil" },
  { table: "cmdb_ci", role: "itil (or cmdb_read)" },
  { table: "task_ci", role: "itil" },
];
const CC_TABLES: Array<{ table: ServiceNowTable; role: string }> = [
  { table: "sn_vulc_test", role: "sn_vulc.read" },
  { table: "sn_vulc_policy_test", role: "sn_vulc.read" },
  { table: "sn_vulc_result", role: "sn_vulc.read" },
  { table: "sn_vulc_result_group", role: "sn_vulc.read" },
  { table: "sn_vulc_m2m_result_result_group", role: "sn_vulc.read" },
  { table: "cmdb_ci", role: "itil" },
];

export async function testConnection(actor: Actor, id: string): Promise<TConnectionTestResult> {
  assertRole(actor, "analyst", "Testing a ServiceNow connection");
  const connection = await db().serviceNowConnection.findUnique({ where: { id }, omit: WITH_CREDENTIALS });
  if (!connection) throw new AppError("NOT_FOUND", { message: "No such ServiceNow connection" });
  if (connection.deletedAt) throw new AppError("CONFLICT", { message: "This ServiceNow connection is archived" });

  const started = performance.now();
  const steps: TConnectionTestStep[] = [];
  const add = (step: TConnectionTestStep) => steps.push(step);
  const finish = (): TConnectionTestResult => ({
    isOk: steps.every((s) => s.status !== "failed"),
    testedAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - started),
    steps,
  });
  const url = connection.instanceUrl;

  try {
    await assertInstanceUrlAllowed(url, connection.allowPrivateNetwork);
    add({ id: "address", label: "Instance address", status: "ok", message: `${url} may be called.` });
  } catch (error) {
    add({ id: "address", label: "Instance address", status: "failed", message: describeServiceNowFailure(error, url).message });
    return finish();
  }

  // A test should answer within seconds: one retry, short timeouts, no long Retry-After waits.
  let client: ServiceNowClient;
  try {
    client = await serviceNowClientFor(connection, { timeoutMs: 10_000, maxRetries: 1, retryBaseDelayMs: 200, maxRetryAfterSeconds: 5 });
  } catch (error) {
    add({ id: "sign-in", label: "Sign-in", status: "failed", message: describeServiceNowFailure(error, url).message });
    return finish();
  }

  const how = connection.authType === "oauth" ? "OAuth (password grant)" : "basic authentication";
  try {
    const page = await client.list("sys_user", {
      query: q().eq("user_name", connection.username),
      fields: ["sys_id", "name", "user_name"],
      limit: 1,
      noCount: true,
    });
    const me = page.records[0];
    add(
      me
        ? {
            id: "sign-in",
            label: "Sign-in",
            status: "ok",
            message: `Signed in with ${how} as ${cellValue(me.name) || connection.username}; sys_user is readable.`,
          }
        : {
            id: "sign-in",
            label: "Sign-in",
            status: "warning",
            message: `Signed in with ${how}, but sys_user shows no record for "${connection.username}" (an ACL may hide it; assignee lookups will fail).`,
          },
    );
  } catch (error) {
    const failure = describeServiceNowFailure(error, url);
    const message =
      failure.kind === "forbidden"
        ? `Signed in, but the user cannot read sys_user (needs a role such as itil): ${failure.message}`
        : failure.message;
    add({ id: "sign-in", label: "Sign-in", status: "failed", message });
    // Without a working sign-in every further check would fail the same way.
    if (failure.kind !== "forbidden") return finish();
  }

  const wanted = [...(connection.itsmEnabled ? ITSM_TABLES : []), ...(connection.ccEnabled ? CC_TABLES : [])];
  const tables = wanted.filter((t, i) => wanted.findIndex((x) => x.table === t.table) === i);
  for (const { table, role } of tables) {
    try {
      await client.list(table, { fields: ["sys_id"], limit: 1, noCount: true });
      add({ id: `table:${table}`, label: `Read ${table}`, status: "ok", message: "Readable." });
    } catch (error) {
      const failure = describeServiceNowFailure(error, url);
      const message =
        failure.kind === "forbidden"
          ? `Missing permission: the user cannot read ${table} (grant ${role}).`
          : failure.kind === "rejected" || failure.kind === "not_found"
            ? `${table} does not exist on this instance (is the ${table.startsWith("sn_vulc") ? "Configuration Compliance" : "ITSM"} plugin installed?): ${failure.message}`
            : failure.message;
      add({ id: `table:${table}`, label: `Read ${table}`, status: "failed", message });
    }
  }
  if (connection.itsmEnabled) add(await checkChangeApi(client, url));
  if (connection.ccEnabled) add(await checkDefenderIntegration(client, (error) => describeServiceNowFailure(error, url).message));
  if (!connection.itsmEnabled && !connection.ccEnabled) {
    add({
      id: "modules",
      label: "Modules",
      status: "warning",
      message: "Neither ITSM nor Configuration Compliance is enabled: this connection does nothing.",
    });
  }

  if (connection.itsmEnabled || connection.ccEnabled) add(await discoverStep(connection, client, url));

  await checkReference(
    add,
    "default-group",
    "Default assignment group",
    connection.defaultAssignmentGroup,
    () => findGroup(client, connection.id, connection.defaultAssignmentGroup!),
    url,
  );
  await checkReference(
    add,
    "default-caller",
    "Default caller",
    connection.defaultCallerId,
    () => findUser(client, connection.id, connection.defaultCallerId!),
    url,
  );
  return finish();
}

/** Whether change requests go through the Change Management API (sn_chg_rest) or fall back to the Table API. */
async function checkChangeApi(client: ServiceNowClient, url: string): Promise<TConnectionTestStep> {
  const label = "Change Management API";
  try {
    const templates = await listStandardTemplates(client);
    return {
      id: "change-api",
      label,
      status: "ok",
      message: `sn_chg_rest is installed: change requests use its normal, emergency and standard models (${templates.length} standard change template${templates.length === 1 ? "" : "s"} available).`,
    };
  } catch (error) {
    if (isChangeApiAbsent(error)) {
      return {
        id: "change-api",
        label,
        status: "warning",
        message:
          "The Change Management API (plugin sn_chg_rest) is not installed: change requests will be created through the Table API, without change models or standard change templates.",
      };
    }
    const failure = describeServiceNowFailure(error, url);
    const message =
      failure.kind === "forbidden"
        ? `The user cannot read standard change templates (grant itil or sn_change_read): ${failure.message}`
        : failure.message;
    return { id: "change-api", label, status: "warning", message };
  }
}

async function checkReference(
  add: (s: TConnectionTestStep) => void,
  id: string,
  label: string,
  value: string | null,
  find: () => Promise<DirectoryMatch<{ name: string }>>,
  url: string,
): Promise<void> {
  if (!value) return;
  try {
    const found = await find();
    add(
      found.kind === "found"
        ? { id, label, status: "ok", message: `"${found.item.name}" exists.` }
        : found.kind === "ambiguous"
          ? {
              id,
              label,
              status: "failed",
              message: `"${value}" names ${found.count} records in ServiceNow; use a unique value or the sys_id. Tickets would be refused.`,
            }
          : { id, label, status: "failed", message: `"${value}" was not found in ServiceNow; tickets would be refused.` },
    );
  } catch (error) {
    add({ id, label, status: "failed", message: describeServiceNowFailure(error, url).message });
  }
}

/** Instance discovery (sys_dictionary, sys_choice, data policies), refreshed and stored by every test. */
async function discoverStep(
  connection: Parameters<typeof refreshConnectionSchema>[0],
  client: ServiceNowClient,
  url: string,
): Promise<TConnectionTestStep> {
  const id = "schema";
  const label = "Instance fields and data policies";
  try {
    const discovery = await refreshConnectionSchema(connection, client);
    const parts = discovery.tables
      .filter((t) => t.fields.length > 0)
      .map((t) => {
        const enforced = t.fields.filter((f) => f.mandatorySource === "data_policy").map((f) => f.name);
        return `${t.table}: ${t.fields.length} fields${enforced.length ? `, mandatory by data policy: ${enforced.join(", ")}` : ""}`;
      });
    const found = parts.length ? `Discovered ${parts.join("; ")}.` : "No table could be discovered.";
    return { id, label, status: discovery.notes.length ? "warning" : "ok", message: [found, ...discovery.notes].join(" ") };
  } catch (error) {
    return { id, label, status: "warning", message: `Discovery failed: ${describeServiceNowFailure(error, url).message}` };
  }
}
