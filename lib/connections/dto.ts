import "server-only";
import { type ServiceNowConnectionRow } from "@/lib/db";
import { type ServiceNowConnection } from "@/lib/generated/prisma/client";
import {
  DEFAULT_SEVERITY_MAPPING,
  type TServiceNowConnectionDto,
  type TSeverityMapping,
  ZSeverityMapping,
} from "@/lib/schemas/connections";
import { type TFieldDefaults, ZFieldDefaults } from "@/lib/schemas/instance-schema";

/** Stored field defaults, or none when the row holds something unreadable. */
export function fieldDefaultsOf(value: unknown): TFieldDefaults {
  const parsed = ZFieldDefaults.safeParse(value);
  return parsed.success ? parsed.data : {};
}

/** A stored mapping, or the default when the row holds something unreadable (never fail a listing on it). */
export function severityMappingOf(value: unknown): TSeverityMapping {
  const parsed = ZSeverityMapping.safeParse(value);
  return parsed.success ? parsed.data : DEFAULT_SEVERITY_MAPPING;
}

/**
 * How the connection service reads a row for toConnectionDto: the ticket count, and the three secrets
 * the view reports as set or not (db() leaves them out otherwise; lib/db.ts omitSecrets).
 */
export const CONNECTION_DTO_READ = {
  include: { _count: { select: { tickets: true } } },
  omit: { passwordEnc: false, oauthClientSecretEnc: false, webhookSecretEnc: false },
} as const;

type DtoRow = ServiceNowConnectionRow &
  Pick<ServiceNowConnection, keyof typeof CONNECTION_DTO_READ.omit> & { _count?: { tickets: number } };

/** The API view of a connection: no secret, only whether each one is set. */
export function toConnectionDto(c: DtoRow): TServiceNowConnectionDto {
  return {
    id: c.id,
    name: c.name,
    instanceUrl: c.instanceUrl,
    allowPrivateNetwork: c.allowPrivateNetwork,
    authType: c.authType,
    username: c.username,
    oauthClientId: c.oauthClientId,
    hasPassword: c.passwordEnc.length > 0,
    hasOauthClientSecret: Boolean(c.oauthClientSecretEnc),
    hasWebhookSecret: Boolean(c.webhookSecretEnc),
    itsmEnabled: c.itsmEnabled,
    ccEnabled: c.ccEnabled,
    ccLastDeliveryAt: c.ccLastDeliveryAt?.toISOString() ?? null,
    defaultTable: c.defaultTable === "sn_vulc_result_group" ? "incident" : c.defaultTable,
    defaultAssignmentGroup: c.defaultAssignmentGroup,
    defaultCallerId: c.defaultCallerId,
    severityMapping: severityMappingOf(c.severityMapping),
    closeCode: c.closeCode,
    fieldDefaults: fieldDefaultsOf(c.fieldDefaults),
    syncIntervalMinutes: c.syncIntervalMinutes,
    regressionPolicy: c.regressionPolicy,
    governanceOwnerEmails: c.governanceOwnerEmails,
    governanceManagerEmails: c.governanceManagerEmails,
    correlationPrefix: c.correlationPrefix,
    lastSyncAt: c.lastSyncAt?.toISOString() ?? null,
    nextSyncAt: c.nextSyncAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    archivedAt: c.deletedAt?.toISOString() ?? null,
    ticketCount: c._count?.tickets ?? 0,
  };
}
