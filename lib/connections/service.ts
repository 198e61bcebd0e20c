import "server-only";

// ServiceNow connections: admins create, change and archive them; analysts read them (ticket form).
// Secrets are encrypted at rest and write-only; the instance URL passes the SSRF guard at save time;
// deleting archives (tickets, links and history stay viewable) and wipes the credentials.
import { type Actor } from "@/lib/auth/actor";
import { withAudit } from "@/lib/audit/audit";
import { encryptSecret } from "@/lib/crypto/secrets";
import { assertCloseCode, assertFieldDefaults } from "@/lib/instance-schema/defaults";
import { db } from "@/lib/db";
import { readPage } from "@/lib/db/page";
import { type Prisma } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import { type TPage } from "@/lib/schemas/common";
import {
  type TConnectionsQuery,
  type TCreateConnection,
  type TServiceNowConnectionDto,
  type TUpdateConnection,
} from "@/lib/schemas/connections";
import { assertInstanceUrlAllowed, forgetServiceNowClient } from "./client";
import { forgetDirectory } from "./directory";
import { CONNECTION_DTO_READ, toConnectionDto } from "./dto";
import { assertRole, type Caller } from "@/lib/auth/authorize";

type Meta = { requestId?: string };

export async function listConnections(actor: Actor, query: TConnectionsQuery): Promise<TPage<TServiceNowConnectionDto>> {
  assertRole(actor, "analyst", "Reading ServiceNow connections");
  const where: Prisma.ServiceNowConnectionWhereInput = {
    ...(query.includeArchived ? {} : { deletedAt: null }),
    ...(query.module === "itsm" ? { itsmEnabled: true } : query.module === "cc" ? { ccEnabled: true } : {}),
  };
  return readPage(
    query,
    (window) =>
      db().serviceNowConnection.findMany({
        where,
        ...CONNECTION_DTO_READ,
        orderBy: [{ deletedAt: { sort: "desc", nulls: "first" } }, { name: "asc" }],
        ...window,
      }),
    () => db().serviceNowConnection.count({ where }),
    (rows) => rows.map(toConnectionDto),
  );
}

/** Names of every connection (archived included), for filters anyone signed in may use. */
export async function listConnectionNames(): Promise<Array<{ id: string; name: string; isArchived: boolean }>> {
  const rows = await db().serviceNowConnection.findMany({ select: { id: true, name: true, deletedAt: true }, orderBy: { name: "asc" } });
  return rows.map((r) => ({ id: r.id, name: r.name, isArchived: r.deletedAt !== null }));
}

export async function getConnection(actor: Actor, id: string): Promise<TServiceNowConnectionDto> {
  assertRole(actor, "analyst", "Reading ServiceNow connections");
  const row = await db().serviceNowConnection.findUnique({ where: { id }, ...CONNECTION_DTO_READ });
  if (!row) throw new AppError("NOT_FOUND", { message: "No such ServiceNow connection" });
  return toConnectionDto(row);
}

async function assertNameFree(name: string, exceptId?: string): Promise<void> {
  const clash = await db().serviceNowConnection.findFirst({
    where: { name: { equals: name, mode: "insensitive" }, deletedAt: null, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true },
  });
  if (clash) throw new AppError("CONFLICT", { message: `A ServiceNow connection named "${name}" already exists` });
}

function origin(instanceUrl: string): string {
  return new URL(instanceUrl).origin;
}

/** Settings a create and an update copy from the request as they are. */
type Setting =
  | "itsmEnabled"
  | "ccEnabled"
  | "defaultTable"
  | "defaultAssignmentGroup"
  | "defaultCallerId"
  | "severityMapping"
  | "closeCode"
  | "syncIntervalMinutes"
  | "regressionPolicy"
  | "governanceOwnerEmails"
  | "governanceManagerEmails"
  | "correlationPrefix";

/** The settings (Setting) of a create or update request, for the row. */
function settingsOf<I extends Pick<TUpdateConnection, Setting>>(input: I): Pick<I, Setting> {
  return {
    itsmEnabled: input.itsmEnabled,
    ccEnabled: input.ccEnabled,
    defaultTable: input.defaultTable,
    defaultAssignmentGroup: input.defaultAssignmentGroup,
    defaultCallerId: input.defaultCallerId,
    severityMapping: input.severityMapping,
    closeCode: input.closeCode,
    syncIntervalMinutes: input.syncIntervalMinutes,
    regressionPolicy: input.regressionPolicy,
    governanceOwnerEmails: input.governanceOwnerEmails,
    governanceManagerEmails: input.governanceManagerEmails,
    correlationPrefix: input.correlationPrefix,
  };
}

export async function createConnection(actor: Caller, input: TCreateConnection, meta: Meta = {}): Promise<TServiceNowConnectionDto> {
  assertRole(actor, "admin", "Managing ServiceNow connections");
  await assertNameFree(input.name);
  await assertInstanceUrlAllowed(input.instanceUrl, input.allowPrivateNetwork);
  const isOauth = input.authType === "oauth";
  const row = await withAudit(
    (tx) =>
      tx.serviceNowConnection.create({
        data: {
          name: input.name,
          instanceUrl: origin(input.instanceUrl),
          allowPrivateNetwork: input.allowPrivateNetwork,
          authType: input.authType,
          username: input.username,
          passwordEnc: encryptSecret(input.password),
          oauthClientId: isOauth ? (input.oauthClientId ?? null) : null,
          oauthClientSecretEnc: isOauth && input.oauthClientSecret ? encryptSecret(input.oauthClientSecret) : null,
          ...settingsOf(input),
          webhookSecretEnc: input.webhookSecret ? encryptSecret(input.webhookSecret) : null,
        },
        ...CONNECTION_DTO_READ,
      }),
    (created) => ({
      actor,
      action: "connection.create",
      targetId: created.id,
      targetType: "servicenow_connection",
      after: toConnectionDto(created),
      requestId: meta.requestId,
    }),
  );
  return toConnectionDto(row);
}

const RESETS_TOKEN: Array<keyof TUpdateConnection> = [
  "instanceUrl",
  "authType",
  "username",
  "password",
  "oauthClientId",
  "oauthClientSecret",
];

export async function updateConnection(
  actor: Caller,
  id: string,
  input: TUpdateConnection,
  meta: Meta = {},
): Promise<TServiceNowConnectionDto> {
  assertRole(actor, "admin", "Managing ServiceNow connections");
  const current = await db().serviceNowConnection.findUnique({ where: { id }, ...CONNECTION_DTO_READ });
  if (!current) throw new AppError("NOT_FOUND", { message: "No such ServiceNow connection" });
  if (current.deletedAt) throw new AppError("CONFLICT", { message: "This ServiceNow connection is archived and cannot be changed" });
  if (input.name !== undefined && input.name.toLowerCase() !== current.name.toLowerCase()) await assertNameFree(input.name, id);

  const instanceUrl = input.instanceUrl ?? current.instanceUrl;
  const allowPrivateNetwork = input.allowPrivateNetwork ?? current.allowPrivateNetwork;
  if (input.instanceUrl !== undefined || input.allowPrivateNetwork !== undefined)
    await assertInstanceUrlAllowed(instanceUrl, allowPrivateNetwork);

  const authType = input.authType ?? current.authType;
  const oauthClientId = input.oauthClientId !== undefined ? input.oauthClientId : current.oauthClientId;
  const hasOauthSecret = input.oauthClientSecret !== undefined || Boolean(current.oauthClientSecretEnc);
  if (authType === "oauth" && (!oauthClientId || !hasOauthSecret)) {
    throw new AppError("VALIDATION", {
      message: "OAuth needs a client id and a client secret",
      details: { errors: [{ path: oauthClientId ? "body.oauthClientSecret" : "body.oauthClientId", message: "is required for OAuth" }] },
    });
  }
  if (input.correlationPrefix !== undefined && input.correlationPrefix !== current.correlationPrefix && current._count.tickets > 0) {
    // Earlier tickets carry the old prefix: the sync engine would stop recognising them.
    throw new AppError("CONFLICT", { message: "The correlation prefix cannot change once the connection has tickets" });
  }
  // Checked against the instance's discovered schema (discovered now if it never was).
  if (input.fieldDefaults !== undefined) await assertFieldDefaults(current, input.fieldDefaults);
  if (input.closeCode !== undefined && input.closeCode !== current.closeCode) await assertCloseCode(id, input.closeCode);
  const resetsToken = RESETS_TOKEN.some((k) => input[k] !== undefined);
  const secretsChanged = (["password", "oauthClientSecret", "webhookSecret"] as const).filter((k) => input[k] !== undefined);

  const row = await withAudit(
    (tx) =>
      tx.serviceNowConnection.update({
        where: { id },
        data: {
          name: input.name,
          instanceUrl: input.instanceUrl !== undefined ? origin(input.instanceUrl) : undefined,
          allowPrivateNetwork: input.allowPrivateNetwork,
          authType: input.authType,
          username: input.username,
          passwordEnc: input.password !== undefined ? encryptSecret(input.password) : undefined,
          oauthClientId: authType === "oauth" ? oauthClientId : null,
          oauthClientSecretEnc:
            authType !== "oauth" ? null : input.oauthClientSecret !== undefined ? encryptSecret(input.oauthClientSecret) : undefined,
          ...(resetsToken ? { oauthTokenEnc: null, oauthTokenExpiresAt: null } : {}),
          ...settingsOf(input),
          fieldDefaults: input.fieldDefaults,
          webhookSecretEnc: input.webhookSecret !== undefined ? encryptSecret(input.webhookSecret) : undefined,
        },
        ...CONNECTION_DTO_READ,
      }),
    (updated) => ({
      actor,
      action: "connection.update",
      targetType: "servicenow_connection",
      targetId: id,
      before: toConnectionDto(current),
      after: { ...toConnectionDto(updated), ...(secretsChanged.length ? { secretsChanged } : {}) },
      requestId: meta.requestId,
    }),
  );
  forgetServiceNowClient(id);
  forgetDirectory(id);
  return toConnectionDto(row);
}

/** Archives a connection: it stops being used, its credentials are wiped, its tickets stay. */
export async function archiveConnection(actor: Caller, id: string, meta: Meta = {}): Promise<TServiceNowConnectionDto> {
  assertRole(actor, "admin", "Managing ServiceNow connections");
  const current = await db().serviceNowConnection.findUnique({ where: { id }, ...CONNECTION_DTO_READ });
  if (!current) throw new AppError("NOT_FOUND", { message: "No such ServiceNow connection" });
  if (current.deletedAt) return toConnectionDto(current);
  const row = await withAudit(
    (tx) =>
      tx.serviceNowConnection.update({
        where: { id },
        data: {
          deletedAt: new Date(),
          passwordEnc: "",
          oauthClientSecretEnc: null,
          oauthTokenEnc: null,
          oauthTokenExpiresAt: null,
          webhookSecretEnc: null,
          nextSyncAt: null,
        },
        ...CONNECTION_DTO_READ,
      }),
    (archived) => ({
      actor,
      action: "connection.archive",
      targetType: "servicenow_connection",
      targetId: id,
      before: toConnectionDto(current),
      after: toConnectionDto(archived),
      requestId: meta.requestId,
    }),
  );
  forgetServiceNowClient(id);
  forgetDirectory(id);
  return toConnectionDto(row);
}
