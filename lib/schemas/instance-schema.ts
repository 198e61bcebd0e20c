import { z } from "zod";

// What PostureDesk discovered about a ServiceNow instance's tables (sys_dictionary, sys_choice, data
// policies, learned refusals), and the per-connection field defaults validated against it.

/** Tables discovered per connection: the ITSM ticket tables, and (read-only schema) the CC tables. */
export const SCHEMA_TABLES = ["incident", "problem", "change_request", "sn_vulc_result", "sn_vulc_remediation_task"] as const;
export const ZSchemaTable = z.enum(SCHEMA_TABLES);
export type TSchemaTable = z.infer<typeof ZSchemaTable>;

export const MANDATORY_SOURCES = ["data_policy", "dictionary", "learned"] as const;

export const ZDiscoveredField = z.object({
  name: z.string(),
  label: z.string(),
  /** sys_dictionary internal_type (string, integer, reference, glide_date_time, …); "unknown" when only learned. */
  type: z.string(),
  /** True only when ServiceNow enforces it on REST writes (a data policy, or learned from a refusal). */
  mandatory: z.boolean(),
  /** Why it is flagged: "dictionary" is shown but not enforced on REST writes (ServiceNow documents so). */
  mandatorySource: z.enum(MANDATORY_SOURCES).nullable(),
  reference: z.string().optional(),
  choices: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
  maxLength: z.number().int().optional(),
  isReadOnly: z.boolean().optional(),
});
export type TDiscoveredField = z.infer<typeof ZDiscoveredField>;

export const ZTableSchema = z.object({
  table: z.string(),
  discoveredAt: z.string().describe("ISO 8601 date-time"),
  fields: z.array(ZDiscoveredField),
  /** What could not be read and what PostureDesk did instead (e.g. "sys_dictionary: 403 — …"). */
  notes: z.array(z.string()),
});
export type TTableSchema = z.infer<typeof ZTableSchema>;

export const ZSchemaQuery = z.object({ table: ZSchemaTable.default("incident") });

/** A ServiceNow column name (custom columns start with u_ or x_). */
export const COLUMN_NAME = /^[a-z][a-z0-9_]{0,79}$/;
const ZColumn = z.string().regex(COLUMN_NAME, "must be a ServiceNow column name (lowercase letters, digits, _)");
const ZDefaultValue = z
  .string()
  .trim()
  .max(4000)
  .regex(/^[^\u0000]*$/, "must not contain NUL");

export const ZFieldValues = z.record(ZColumn, ZDefaultValue).refine((v) => Object.keys(v).length <= 100, "at most 100 fields");
export const ZFieldDefaults = z
  .object({ incident: ZFieldValues.optional(), problem: ZFieldValues.optional(), change_request: ZFieldValues.optional() })
  .strict();
export type TFieldDefaults = z.infer<typeof ZFieldDefaults>;
