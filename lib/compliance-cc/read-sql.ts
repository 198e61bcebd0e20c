import "server-only";

// Configuration Compliance, read and correlate. ServiceNow's own "Microsoft Defender for Cloud" integration
// (scheduled jobs on the instance that read Defender with an Entra app registration) creates the tests, test
// groups, test results and — through remediation task rules — the remediation tasks. PostureDesk only reads:
//   1. test results on Azure CIs (cmdb_ci.object_id is the Azure resource id), with their test dot-walked,
//      page by page through the Table API, incrementally by sys_updated_on;
//   2. the test groups of those tests (sn_vulc_policy_test, the test↔group m2m);
//   3. remediation tasks (sn_vulc_result_group), incrementally;
//   4. the result↔task join table sn_vulc_m2m_result_result_group, in full (rows are deleted when a result
//      leaves a task, which an incremental read cannot see);
// stores each set with set-based upserts and matches every result to our finding (lib/compliance-cc/match.ts).
import { pool, withTransaction, type ServiceNowConnectionRow } from "@/lib/db";
import { bulkUpsert } from "@/lib/db/bulk";
import {
  cellDisplay,
  cellValue,
  IN_BATCH,
  parseServiceNowDateTime,
  q,
  type ServiceNowClient,
  type ServiceNowRecord,
  WATERMARK_OVERLAP_MS,
} from "@/lib/servicenow";
import { ticketUrl } from "@/lib/tickets/states";
import { matchCcResults } from "./match-sql";
import { ccResultOf, ccTaskStateLabel } from "./states";

/** Results PostureDesk can correlate: those on a CI whose object_id is an Azure resource id. */
export const AZURE_CI = "/subscriptions/";
/** Page size of every read (ServiceNow's documented maximum default is 10,000). */
export const CC_PAGE = 1000;

export type CcReadOutcome = {
  results: number;
  tasks: number;
  links: number;
  matched: number;
  isFull: boolean;
  lastDeliveryAt: string | null;
};

export type CcReadInput = {
  connection: ServiceNowConnectionRow;
  client: ServiceNowClient;
  /** Read everything (first read, or the run's full mode), else only what changed since the watermark. */
  isFull: boolean;
  assertAlive?: () => void;
  onProgress?: (done: number) => void;
};

const at = (r: ServiceNowRecord, field: string) => parseServiceNowDateTime(cellValue(r[field]));

type ResultRow = {
  sysId: string;
  number: string;
  result: string;
  state: string | null;
  sourceId: string | null;
  testSysId: string | null;
  testName: string | null;
  testSourceId: string | null;
  ciSysId: string | null;
  ciObjectId: string | null;
  isActive: boolean;
  snUpdatedAt: Date;
};

function resultRowOf(r: ServiceNowRecord): ResultRow {
  const nullable = (v: string) => (v.trim() === "" ? null : v.trim());
  return {
    sysId: cellValue(r.sys_id),
    number: cellValue(r.number),
    result: ccResultOf(cellValue(r.result), cellDisplay(r.result)),
    state: nullable(cellDisplay(r.state)),
    sourceId: nullable(cellValue(r.source_id)),
    testSysId: nullable(cellValue(r.test)),
    testName: nullable(cellValue(r["test.name"])),
    testSourceId: nullable(cellValue(r["test.source_id"])),
    ciSysId: nullable(cellValue(r.cmdb_ci)),
    ciObjectId: nullable(cellValue(r["cmdb_ci.object_id"]).toLowerCase()),
    isActive: cellValue(r.active) !== "false",
    snUpdatedAt: at(r, "sys_updated_on") ?? new Date(0),
  };
}

async function testGroupsOf(client: ServiceNowClient, testSysIds: string[], cache: Map<string, string | null>): Promise<void> {
  const missing = testSysIds.filter((t) => !cache.has(t));
  for (let i = 0; i < missing.length; i += IN_BATCH) {
    const batch = missing.slice(i, i + IN_BATCH);
    for (const t of batch) cache.set(t, null);
    for await (const r of client.iterate("sn_vulc_policy_test", {
      query: q().in("test", batch).orderBy("sys_id"),
      fields: ["test", "policy"],
      displayValue: "all",
      excludeReferenceLink: true,
      limit: CC_PAGE,
      noCount: true,
    })) {
      const test = cellValue(r.test);
      const name = cellDisplay(r.policy);
      // A test in several groups shows them all.
      if (name) cache.set(test, cache.get(test) ? `${cache.get(test)}, ${name}` : name);
    }
  }
}

async function readResults(input: CcReadInput, since: Date | null): Promise<{ count: number; newest: Date | null }> {
  const { connection, client } = input;
  let query = q().startsWith("cmdb_ci.object_id", AZURE_CI);
  if (since) query = query.gte("sys_updated_on", since);
  const groups = new Map<string, string | null>();
  let count = 0;
  let newest: Date | null = null;
  for await (const page of client.iteratePages("sn_vulc_result", {
    query: query.orderBy("sys_updated_on").orderBy("sys_id"),
    fields: [
      "sys_id",
      "number",
      "result",
      "state",
      "source_id",
      "test",
      "test.name",
      "test.source_id",
      "cmdb_ci",
      "cmdb_ci.object_id",
      "active",
      "sys_updated_on",
    ],
    displayValue: "all",
    excludeReferenceLink: true,
    limit: CC_PAGE,
    noCount: true,
  })) {
    input.assertAlive?.();
    const rows = page.records.map(resultRowOf).filter((r) => r.sysId);
    await testGroupsOf(client, [...new Set(rows.flatMap((r) => (r.testSysId ? [r.testSysId] : [])))], groups);
    await bulkUpsert(pool(), rows, {
      table: "CcResult",
      conflict: ["connectionId", "sysId"],
      columns: {
        connectionId: { type: "uuid", value: () => connection.id },
        sysId: { type: "text", value: (r) => r.sysId },
        number: { type: "text", value: (r) => r.number },
        result: { type: "text", value: (r) => r.result },
        state: { type: "text", value: (r) => r.state },
        sourceId: { type: "text", value: (r) => r.sourceId },
        testSysId: { type: "text", value: (r) => r.testSysId },
        testName: { type: "text", value: (r) => r.testName },
        testSourceId: { type: "text", value: (r) => r.testSourceId },
        testGroupName: { type: "text", value: (r) => (r.testSysId ? (groups.get(r.testSysId) ?? null) : null) },
        ciSysId: { type: "text", value: (r) => r.ciSysId },
        ciObjectId: { type: "text", value: (r) => r.ciObjectId },
        isActive: { type: "bool", value: (r) => r.isActive },
        snUpdatedAt: { type: "timestamptz", value: (r) => r.snUpdatedAt },
      },
      set: { readAt: "now()" },
    });
    for (const r of rows) if (!newest || r.snUpdatedAt > newest) newest = r.snUpdatedAt;
    count += rows.length;
    input.onProgress?.(count);
  }
  return { count, newest };
}

async function readTasks(input: CcReadInput, since: Date | null): Promise<{ count: number; newest: Date | null }> {
  const { connection, client } = input;
  let query = q();
  if (since) query = query.gte("sys_updated_on", since);
  let count = 0;
  let newest: Date | null = null;
  for await (const page of client.iteratePages("sn_vulc_result_group", {
    query: query.orderBy("sys_updated_on").orderBy("sys_id"),
    fields: ["sys_id", "number", "state", "short_description", "assignment_group", "assigned_to", "sys_updated_on"],
    displayValue: "all",
    excludeReferenceLink: true,
    limit: CC_PAGE,
    noCount: true,
  })) {
    input.assertAlive?.();
    const rows = page.records.map((r) => ({
      sysId: cellValue(r.sys_id),
      number: cellValue(r.number),
      state: cellValue(r.state),
      stateLabel: ccTaskStateLabel(cellValue(r.state), cellDisplay(r.state)),
      assignmentGroupName: cellValue(r.assignment_group) ? cellDisplay(r.assignment_group) || null : null,
      assignedToName: cellValue(r.assigned_to) ? cellDisplay(r.assigned_to) || null : null,
      shortDescription: cellValue(r.short_description) || null,
      snUpdatedAt: at(r, "sys_updated_on") ?? new Date(0),
    }));
    await bulkUpsert(pool(), rows, {
      table: "CcRemediationTask",
      conflict: ["connectionId", "sysId"],
      columns: {
        connectionId: { type: "uuid", value: () => connection.id },
        sysId: { type: "text", value: (r) => r.sysId },
        number: { type: "text", value: (r) => r.number },
        state: { type: "text", value: (r) => r.state },
        stateLabel: { type: "text", value: (r) => r.stateLabel },
        assignmentGroupName: { type: "text", value: (r) => r.assignmentGroupName },
        assignedToName: { type: "text", value: (r) => r.assignedToName },
        shortDescription: { type: "text", value: (r) => r.shortDescription },
        url: { type: "text", value: (r) => ticketUrl(connection.instanceUrl, "sn_vulc_result_group", r.sysId) },
        snUpdatedAt: { type: "timestamptz", value: (r) => r.snUpdatedAt },
      },
      set: { readAt: "now()" },
    });
    for (const r of rows) if (!newest || r.snUpdatedAt > newest) newest = r.snUpdatedAt;
    count += rows.length;
  }
  return { count, newest };
}

/** The whole join table (for Azure results), replacing the stored one: removed memberships disappear. */
async function readLinks(input: CcReadInput): Promise<number> {
  const { connection, client } = input;
  const links: Array<{ sysId: string; resultSysId: string; taskSysId: string }> = [];
  for await (const page of client.iteratePages("sn_vulc_m2m_result_result_group", {
    query: q().startsWith("result.cmdb_ci.object_id", AZURE_CI).orderBy("sys_id"),
    fields: ["sys_id", "group", "result"],
    excludeReferenceLink: true,
    limit: CC_PAGE,
    noCount: true,
  })) {
    input.assertAlive?.();
    for (const r of page.records)
      links.push({ sysId: cellValue(r.sys_id), resultSysId: cellValue(r.result), taskSysId: cellValue(r.group) });
  }
  await withTransaction(async (tx) => {
    await tx.query(`DELETE FROM "CcResultTask" WHERE "connectionId" = $1::uuid AND NOT ("sysId" = ANY($2::text[]))`, [
      connection.id,
      links.map((l) => l.sysId),
    ]);
    await bulkUpsert(tx, links, {
      table: "CcResultTask",
      conflict: ["connectionId", "sysId"],
      columns: {
        connectionId: { type: "uuid", value: () => connection.id },
        sysId: { type: "text", value: (l) => l.sysId },
        resultSysId: { type: "text", value: (l) => l.resultSysId },
        taskSysId: { type: "text", value: (l) => l.taskSysId },
      },
    });
  });
  return links.length;
}

/** Reads the connection's CC records, stores them, matches them to findings and moves the watermark. */
export async function readConfigurationCompliance(input: CcReadInput): Promise<CcReadOutcome> {
  const { connection } = input;
  const isFull = input.isFull || connection.ccWatermark === null;
  const since = isFull ? null : new Date(connection.ccWatermark!.getTime() - WATERMARK_OVERLAP_MS);
  const { rows: clock } = await pool().query<{ now: Date }>("SELECT now() AS now");
  const results = await readResults(input, since);
  const tasks = await readTasks(input, since);
  const links = await readLinks(input);
  const matched = await matchCcResults(connection.id, isFull ? null : clock[0]!.now);
  const newest =
    [results.newest, tasks.newest, connection.ccWatermark]
      .filter((d): d is Date => d !== null)
      .sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
  const { rows } = await pool().query<{ last: Date | null }>(
    `UPDATE "ServiceNowConnection" SET "ccWatermark" = $2, "ccLastDeliveryAt" = (SELECT max("snUpdatedAt") FROM "CcResult" WHERE "connectionId" = $1::uuid)
     WHERE "id" = $1::uuid RETURNING "ccLastDeliveryAt" AS "last"`,
    [connection.id, newest],
  );
  return { results: results.count, tasks: tasks.count, links, matched, isFull, lastDeliveryAt: rows[0]?.last?.toISOString() ?? null };
}
