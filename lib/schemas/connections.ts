import { z } from "zod";
import { ZBooleanQuery, ZPageQuery } from "@/lib/schemas/common";
import { ZFieldDefaults } from "@/lib/schemas/instance-schema";

// ServiceNow connections: what an admin may send, what the API answers. Secrets (password, OAuth
// client secret, webhook secret) are write-only: accepted here, never part of a DTO.

export const TICKET_TYPES = ["incident", "problem", "change_request"] as const;
export const ZTicketType = z.enum(TICKET_TYPES);
export type TTicketType = z.infer<typeof ZTicketType>;

export const TICKET_TYPE_LABEL: Record<TTicketType, string> = {
  incident: "Incident",
  problem: "Problem",
  change_request: "Change request",
};

const ZLevel = z.number().int().min(1, "must be 1–3").max(3, "must be 1–3");

/** What a finding of one severity becomes in ServiceNow, and how long remediation may take. */
export const ZSeverityRule = z
  .object({
    impact: ZLevel,
    urgency: ZLevel,
    /** Default remediation timeframe (due date = creation + days). */
    remediationDays: z.number().int().min(1).max(365),
  })
  .strict();

export const ZSeverityMapping = z.object({ High: ZSeverityRule, Medium: ZSeverityRule, Low: ZSeverityRule }).strict();
export type TSeverityMapping = z.infer<typeof ZSeverityMapping>;

/** High → priority 2, Medium → 3, Low → 5 (ServiceNow's impact × urgency matrix). */
export const DEFAULT_SEVERITY_MAPPING: TSeverityMapping = {
  High: { impact: 1, urgency: 2, remediationDays: 30 },
  Medium: { impact: 2, urgency: 2, remediationDays: 60 },
  Low: { impact: 3, urgency: 3, remediationDays: 90 },
};

const ZName = z.string().trim().min(1, "is required").max(100);
const ZInstanceUrl = z
  .string()
  .trim()
  .max(300)
  .url("must be a URL such as https://acme.service-now.com")
  .refine((v) => v.toLowerCase().startsWith("https://"), "must start with https://");
/** Secrets are taken as typed (no trimming: a space may be part of a password). */
const ZSecret = z.string().min(1, "is required").max(1000);
/** A ServiceNow name, e-mail or sys_id: one line (it ends up in an encoded query). */
export const ZReference = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\r\n]*$/, "must be a single line");
const ZCorrelationPrefix = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9._-]{0,29}$/, "1–30 lowercase letters, digits, '.', '_' or '-'");

const connectionFields = {
  name: ZName,
  instanceUrl: ZInstanceUrl,
  /** Allows a loopback/private instance address (the bundled emulator); the server must allow it too. */
  allowPrivateNetwork: z.boolean(),
  authType: z.enum(["basic", "oauth"]),
  username: z
    .string()
    .trim()
    .min(1, "is required")
    .max(200)
    .regex(/^[^\r\n]*$/, "must be a single line"),
  password: ZSecret,
  oauthClientId: z.string().trim().min(1).max(200),
  oauthClientSecret: ZSecret,
  itsmEnabled: z.boolean(),
  ccEnabled: z.boolean(),
  defaultTable: ZTicketType,
  /** Assignment group name (or sys_id), resolved in ServiceNow when a ticket is created. */
  defaultAssignmentGroup: ZReference.nullable(),
  /** Caller (incidents): user name, e-mail or sys_id of a sys_user. */
  defaultCallerId: ZReference.nullable(),
  severityMapping: ZSeverityMapping,
  /** Incident resolution code: a value of the instance's incident.close_code choices (current base list default). */
  closeCode: z.string().trim().min(1).max(100),
  /** Values every ticket of a table gets (constants or templates over the findings), validated against the instance. */
  fieldDefaults: ZFieldDefaults,
  syncIntervalMinutes: z
    .number()
    .int()
    .min(1, "at least 1 minute")
    .max(7 * 24 * 60, "at most 7 days"),
  regressionPolicy: z.enum(["reopen", "new_ticket"]),
  correlationPrefix: ZCorrelationPrefix,
  webhookSecret: ZSecret,
  /** Defender e-mails the owner of each governance assignment this connection writes (weekly digest). */
  governanceOwnerEmails: z.boolean(),
  /** … and the owner's manager when the remediation is overdue. */
  governanceManagerEmails: z.boolean(),
};

// Field defaults are validated against the discovered instance: they are set with PATCH once it exists.
const { fieldDefaults: _fieldDefaults, ...createFields } = connectionFields;

export const ZCreateConnection = z
  .object({
    ...createFields,
    allowPrivateNetwork: connectionFields.allowPrivateNetwork.default(false),
    oauthClientId: connectionFields.oauthClientId.optional(),
    oauthClientSecret: connectionFields.oauthClientSecret.optional(),
    itsmEnabled: connectionFields.itsmEnabled.default(true),
    ccEnabled: connectionFields.ccEnabled.default(false),
    defaultTable: connectionFields.defaultTable.default("incident"),
    defaultAssignmentGroup: connectionFields.defaultAssignmentGroup.default(null),
    defaultCallerId: connectionFields.defaultCallerId.default(null),
    severityMapping: connectionFields.severityMapping.default(DEFAULT_SEVERITY_MAPPING),
    closeCode: connectionFields.closeCode.default("Solution provided"),
    syncIntervalMinutes: connectionFields.syncIntervalMinutes.default(1440),
    regressionPolicy: connectionFields.regressionPolicy.default("reopen"),
    correlationPrefix: connectionFields.correlationPrefix.default("posturedesk"),
    webhookSecret: connectionFields.webhookSecret.optional(),
    // As Defender's own ServiceNow integration: both e-mails on.
    governanceOwnerEmails: connectionFields.governanceOwnerEmails.default(true),
    governanceManagerEmails: connectionFields.governanceManagerEmails.default(true),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.authType === "oauth") {
      if (!v.oauthClientId) ctx.addIssue({ code: "custom", path: ["oauthClientId"], message: "is required for OAuth" });
      if (!v.oauthClientSecret) ctx.addIssue({ code: "custom", path: ["oauthClientSecret"], message: "is required for OAuth" });
    }
  });
export type TCreateConnection = z.infer<typeof ZCreateConnection>;
export type TCreateConnectionInput = z.input<typeof ZCreateConnection>;

/** Every field optional; a secret left out keeps the stored one. */
export const ZUpdateConnection = z
  .object({
    ...connectionFields,
    oauthClientId: connectionFields.oauthClientId.nullable(),
  })
  .partial()
  .strict();
export type TUpdateConnection = z.infer<typeof ZUpdateConnection>;

export const ZConnectionsQuery = ZPageQuery.extend({
  includeArchived: ZBooleanQuery,
  module: z.enum(["itsm", "cc"]).optional(),
});
export type TConnectionsQuery = z.infer<typeof ZConnectionsQuery>;

const ZIso = z.string().describe("ISO 8601 date-time");

export const ZServiceNowConnectionDto = z.object({
  id: z.string().uuid(),
  name: z.string(),
  instanceUrl: z.string(),
  allowPrivateNetwork: z.boolean(),
  authType: z.enum(["basic", "oauth"]),
  username: z.string(),
  oauthClientId: z.string().nullable(),
  /** Secrets are write-only: only whether one is stored. */
  hasPassword: z.boolean(),
  hasOauthClientSecret: z.boolean(),
  hasWebhookSecret: z.boolean(),
  itsmEnabled: z.boolean(),
  ccEnabled: z.boolean(),
  /** When ServiceNow's Defender integration last delivered a CC test result PostureDesk read (null: none yet). */
  ccLastDeliveryAt: z.string().nullable(),
  defaultTable: ZTicketType,
  defaultAssignmentGroup: z.string().nullable(),
  defaultCallerId: z.string().nullable(),
  severityMapping: ZSeverityMapping,
  closeCode: z.string(),
  fieldDefaults: ZFieldDefaults,
  syncIntervalMinutes: z.number().int(),
  regressionPolicy: z.enum(["reopen", "new_ticket"]),
  correlationPrefix: z.string(),
  governanceOwnerEmails: z.boolean(),
  governanceManagerEmails: z.boolean(),
  lastSyncAt: ZIso.nullable(),
  nextSyncAt: ZIso.nullable(),
  createdAt: ZIso,
  updatedAt: ZIso,
  /** Set when the connection was deleted: its tickets and links stay viewable. */
  archivedAt: ZIso.nullable(),
  ticketCount: z.number().int(),
});
export type TServiceNowConnectionDto = z.infer<typeof ZServiceNowConnectionDto>;

/** `DELETE /api/connections/{id}?removeGovernance=false` keeps Defender's assignments (default: remove them). */
export const ZArchiveConnectionQuery = z.object({ removeGovernance: ZBooleanQuery.transform((v) => v ?? true) });
export const ZArchivedConnection = ZServiceNowConnectionDto.extend({
  /** The background run that removes the connection's governance assignments from Defender, and how many (null when kept or none). */
  governanceRemoval: z.object({ runId: z.string().uuid(), total: z.number().int() }).nullable(),
});
export type TArchivedConnection = z.infer<typeof ZArchivedConnection>;
export const ZConnectionGovernance = z.object({
  /** Governance assignments PostureDesk wrote in Defender for this connection's tickets. */
  managedAssignments: z.number().int(),
});
export type TConnectionGovernance = z.infer<typeof ZConnectionGovernance>;
export const ZServiceNowConnectionPage = z.object({
  items: z.array(ZServiceNowConnectionDto),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const ZConnectionTestStep = z.object({
  id: z.string(),
  label: z.string(),
  status: z.enum(["ok", "warning", "failed", "skipped"]),
  message: z.string(),
});
export type TConnectionTestStep = z.infer<typeof ZConnectionTestStep>;

export const ZConnectionTestResult = z.object({
  isOk: z.boolean(),
  testedAt: ZIso,
  durationMs: z.number().int(),
  steps: z.array(ZConnectionTestStep),
});
export type TConnectionTestResult = z.infer<typeof ZConnectionTestResult>;

export const ZDirectoryQuery = z.object({
  q: z
    .string()
    .trim()
    .max(100)
    .regex(/^[^\r\n]*$/, "must be a single line")
    .default(""),
  limit: z.coerce.number().int().min(1).max(50).default(10),
  offset: z.coerce.number().int().min(0).max(1000).default(0),
});
export type TDirectoryQuery = z.infer<typeof ZDirectoryQuery>;

export const ZDirectoryUser = z.object({ sysId: z.string(), name: z.string(), userName: z.string(), email: z.string() });
export type TDirectoryUser = z.infer<typeof ZDirectoryUser>;
export const ZDirectoryGroup = z.object({ sysId: z.string(), name: z.string() });
export type TDirectoryGroup = z.infer<typeof ZDirectoryGroup>;
/** One page of a picker search; `nextOffset` is null on the last page. */
export const ZDirectoryPage = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextOffset: z.number().int().nullable() });
export type TDirectoryPage<T> = { items: T[]; nextOffset: number | null };
