import { z } from "zod";
import { ZBooleanQuery, ZPageQuery } from "@/lib/schemas/common";

// ServiceNow connections: what an admin may send, what the API answers. Secrets (password, OAuth
// client secret, webhook secret) are write-only: accepted here, never part of a DTO.

export const TICKET_TYPES = ["incident", "problem", "change_request"] as const;
export const ZTicketType = z.enum(TICKET_TYPES);
export type TTicketType = z.infer<typeof ZTicketType>;

export const TICKET_TYPE_LABEL: Record<TTicketType, string> = { incident: "Incident", problem: "Problem", change_request: "Change request" };

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
export const ZReference = z.string().trim().min(1).max(200).regex(/^[^\r\n]*$/, "must be a single line");
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
  username: z.string().trim().min(1, "is required").max(200).regex(/^[^\r\n]*$/, "must be a single line"),
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
  closeCode: z.string().trim().min(1).max(100),
  syncIntervalMinutes: z.number().int().min(5, "at least 5 minutes").max(7 * 24 * 60, "at most 7 days"),
  regressionPolicy: z.enum(["reopen", "new_ticket"]),
  correlationPrefix: ZCorrelationPrefix,
  webhookSecret: ZSecret,
};

export const ZCreateConnection = z
  .object({
    ...connectionFields,
    allowPrivateNetwork: connectionFields.allowPrivateNetwork.default(false),
    oauthClientId: connectionFields.oauthClientId.optional(),
    oauthClientSecret: connectionFields.oauthClientSecret.optional(),
    itsmEnabled: connectionFields.itsmEnabled.default(true),
    ccEnabled: connectionFields.ccEnabled.default(false),
    defaultTable: connectionFields.defaultTable.default("incident"),
    defaultAssignmentGroup: connectionFields.defaultAssignmentGroup.default(null),
    defaultCallerId: connectionFields.defaultCallerId.default(null),
    severityMapping: connectionFields.severityMapping.default(DEFAULT_SEVERITY_MAPPING),
    closeCode: connectionFields.closeCode.default("Solved (Permanently)"),
    syncIntervalMinutes: connectionFields.syncIntervalMinutes.default(1440),
    regressionPolicy: connectionFields.regressionPolicy.default("reopen"),
    correlationPrefix: connectionFields.correlationPrefix.default("posturedesk"),
    webhookSecret: connectionFields.webhookSecret.optional(),
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

export type TServiceNowConnectionDto = {
  id: string;
  name: string;
  instanceUrl: string;
  allowPrivateNetwork: boolean;
  authType: "basic" | "oauth";
  username: string;
  oauthClientId: string | null;
  /** Secrets are write-only: only whether one is stored. */
  hasPassword: boolean;
  hasOauthClientSecret: boolean;
  hasWebhookSecret: boolean;
  itsmEnabled: boolean;
  ccEnabled: boolean;
  ccStagingTable: string;
  defaultTable: TTicketType;
  defaultAssignmentGroup: string | null;
  defaultCallerId: string | null;
  severityMapping: TSeverityMapping;
  closeCode: string;
  syncIntervalMinutes: number;
  regressionPolicy: "reopen" | "new_ticket";
  correlationPrefix: string;
  lastSyncAt: string | null;
  nextSyncAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** Set when the connection was deleted: its tickets and links stay viewable. */
  archivedAt: string | null;
  ticketCount: number;
};

export type TConnectionTestStep = {
  id: string;
  label: string;
  status: "ok" | "warning" | "failed" | "skipped";
  message: string;
};

export type TConnectionTestResult = {
  isOk: boolean;
  testedAt: string;
  durationMs: number;
  steps: TConnectionTestStep[];
};

export const ZDirectoryQuery = z.object({
  q: z.string().trim().max(100).regex(/^[^\r\n]*$/, "must be a single line").default(""),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});
export type TDirectoryQuery = z.infer<typeof ZDirectoryQuery>;

export type TDirectoryUser = { sysId: string; name: string; userName: string; email: string };
export type TDirectoryGroup = { sysId: string; name: string };
