import "server-only";

// The per-connection cache of instance discovery (ServiceNowTableSchema rows), the mandatory fields
// learned from ServiceNow's refusals, and the schema API's service. Refreshed on "Test connection", by the
// daily periodic task (job.ts) and on first use; learned fields survive refreshes unless the data
// policies became readable and no longer say so.
import { type Actor } from "@/lib/auth/actor";
import { assertRole } from "@/lib/auth/authorize";
import { serviceNowClientFor, type ConnectionWithCredentials, WITH_CREDENTIALS } from "@/lib/connections/client";
import { db } from "@/lib/db";
import { type ServiceNowConnection } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import { type TDiscoveredField, type TSchemaTable, type TTableSchema, ZDiscoveredField } from "@/lib/schemas/instance-schema";
import { type ServiceNowClient } from "@/lib/servicenow";
import { z } from "zod";
import { byImportance, type Discovery, discoverInstance } from "./discover";
import { columnForLabel } from "./validate";

const ZLearned = z.array(z.object({ name: z.string(), label: z.string(), learnedAt: z.string() }));
const ZSources = z.object({ dictionary: z.string(), choices: z.string(), dataPolicies: z.string(), notes: z.array(z.string()) }).partial();
type Learned = z.infer<typeof ZLearned>;

/** Tables discovered for a connection: ITSM tables, and the CC tables (schema only) when CC is on. */
export function schemaTablesOf(connection: Pick<ServiceNowConnection, "ccEnabled">): TSchemaTable[] {
  return [
    "incident",
    "problem",
    "change_request",
    ...(connection.ccEnabled ? (["sn_vulc_result", "sn_vulc_remediation_task"] as const) : []),
  ];
}

function merge(fields: TDiscoveredField[], learned: Learned): TDiscoveredField[] {
  const out = new Map(fields.map((f) => [f.name, f]));
  for (const l of learned) {
    const field = out.get(l.name);
    if (field?.mandatorySource === "data_policy") continue;
    out.set(l.name, { ...(field ?? { name: l.name, label: l.label, type: "unknown" }), mandatory: true, mandatorySource: "learned" });
  }
  return [...out.values()].sort(byImportance);
}

function toDto(row: { table: string; fields: unknown; learned: unknown; sources: unknown; discoveredAt: Date }): TTableSchema {
  const fields = z.array(ZDiscoveredField).catch([]).parse(row.fields);
  const learned = ZLearned.catch([]).parse(row.learned);
  const notes = [...(ZSources.catch({}).parse(row.sources).notes ?? [])];
  if (learned.length)
    notes.push(
      `Learned from ServiceNow's refusals: ${learned.map((l) => `${l.name} (${l.label}, ${l.learnedAt.slice(0, 10)})`).join(", ")}.`,
    );
  return { table: row.table, discoveredAt: row.discoveredAt.toISOString(), fields: merge(fields, learned), notes };
}

/** Discovers every table of the connection and stores it; returns what was found. */
export async function refreshConnectionSchema(connection: ConnectionWithCredentials, client?: ServiceNowClient): Promise<Discovery> {
  const discovery = await discoverInstance(client ?? (await serviceNowClientFor(connection)), schemaTablesOf(connection));
  // An instance that could not be asked at all (down, timeout) must not replace what was discovered before.
  if (discovery.sources.dictionary === "failed" && discovery.sources.choices === "failed") {
    throw (
      discovery.failure ??
      new AppError("UPSTREAM_UNAVAILABLE", {
        message: `The instance's fields could not be discovered: ${discovery.notes.join(" ")}`,
        isRetryable: true,
      })
    );
  }
  const now = new Date();
  await db().$transaction(async (tx) => {
    for (const t of discovery.tables) {
      const existing = await tx.serviceNowTableSchema.findUnique({
        where: { connectionId_table: { connectionId: connection.id, table: t.table } },
      });
      let learned = ZLearned.catch([]).parse(existing?.learned ?? []);
      // Readable, unconditional data policies are authoritative: a learned field they do not list is gone.
      if (discovery.sources.dataPolicies === "ok" && t.notes.every((n) => !n.startsWith("Data policy"))) {
        learned = learned.filter((l) => t.fields.some((f) => f.name === l.name && f.mandatorySource === "data_policy"));
      }
      const data = {
        fields: t.fields,
        learned,
        sources: { ...discovery.sources, notes: [...discovery.notes, ...t.notes] },
        discoveredAt: now,
      };
      await tx.serviceNowTableSchema.upsert({
        where: { connectionId_table: { connectionId: connection.id, table: t.table } },
        create: { connectionId: connection.id, table: t.table, ...data },
        update: data,
      });
    }
  });
  return discovery;
}

/** The cached schema of a table (null when never discovered). */
export async function loadTableSchema(connectionId: string, table: string): Promise<TTableSchema | null> {
  const row = await db().serviceNowTableSchema.findUnique({ where: { connectionId_table: { connectionId, table } } });
  return row ? toDto(row) : null;
}

/** The schema of a table, discovered now when it was never discovered. */
export async function tableSchemaFor(connection: ConnectionWithCredentials, table: TSchemaTable): Promise<TTableSchema> {
  const cached = await loadTableSchema(connection.id, table);
  if (cached) return cached;
  await refreshConnectionSchema(connection);
  const fresh = await loadTableSchema(connection.id, table);
  if (!fresh)
    throw new AppError("CONFLICT", { message: `The table ${table} is not discovered on this connection (is the module enabled?)` });
  return fresh;
}

/** GET /api/connections/{id}/schema?table= */
export async function getTableSchema(actor: Actor, connectionId: string, table: TSchemaTable): Promise<TTableSchema> {
  assertRole(actor, "analyst", "Reading a ServiceNow instance's schema");
  const connection = await db().serviceNowConnection.findUnique({ where: { id: connectionId }, omit: WITH_CREDENTIALS });
  if (!connection) throw new AppError("NOT_FOUND", { message: "No such ServiceNow connection" });
  if (connection.deletedAt) throw new AppError("CONFLICT", { message: "This ServiceNow connection is archived" });
  if (!schemaTablesOf(connection).includes(table)) {
    throw new AppError("VALIDATION", {
      message: `${table} is not discovered on this connection (Configuration Compliance is off)`,
      details: { errors: [{ path: "query.table", message: "not discovered on this connection" }] },
    });
  }
  return tableSchemaFor(connection, table);
}

/**
 * Records the fields a "Data Policy Exception" named (labels) as mandatory on the table; returns them as
 * fields. Labels are turned into column names with what is known of the table (columnForLabel).
 */
export async function learnMandatory(connectionId: string, table: string, labels: string[]): Promise<TDiscoveredField[]> {
  const schema = await loadTableSchema(connectionId, table);
  const known = schema?.fields ?? [];
  const columns = known.map((f) => f.name);
  const learnedAt = new Date().toISOString();
  const fresh = labels.map((label) => ({ name: columnForLabel(label, known, columns), label, learnedAt }));
  await db().$transaction(async (tx) => {
    const row = await tx.serviceNowTableSchema.findUnique({ where: { connectionId_table: { connectionId, table } } });
    const learned = ZLearned.catch([])
      .parse(row?.learned ?? [])
      .filter((l) => !fresh.some((f) => f.name === l.name));
    const next = [...learned, ...fresh];
    await tx.serviceNowTableSchema.upsert({
      where: { connectionId_table: { connectionId, table } },
      create: { connectionId, table, fields: [], learned: next, sources: { notes: [] }, discoveredAt: new Date() },
      update: { learned: next },
    });
  });
  return fresh.map(
    (f) =>
      known.find((k) => k.name === f.name) ?? {
        name: f.name,
        label: f.label,
        type: "unknown",
        mandatory: true,
        mandatorySource: "learned" as const,
      },
  );
}
