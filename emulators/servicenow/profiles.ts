// Instance profiles of the ServiceNow emulator: how far the emulated instance differs from the base system.
// Chosen with POSTUREDESK_EMULATOR_PROFILE (npm start, npm run emulators) or the `servicenowProfile`
// option of startEmulators / startStandaloneServiceNow; default "baseline".
//
// - baseline: the current release with its documented defaults: no data policy on incident inserts,
//   the current base close codes, no rate-limit rule (none exists by default).
// - customized: what a real customer instance adds on top, each piece modelled the way the platform
//   stores it, so PostureDesk has to discover it the way it would on a real instance:
//     * a custom string field incident.u_business_service (a sys_dictionary entry like any other);
//     * a data policy (sys_data_policy2 + sys_data_policy_rule records) making incident.category and
//       incident.u_business_service mandatory; data policies apply to REST Table API writes, so an insert
//       without them answers 403 "Data Policy Exception";
//     * an hourly inbound REST rate-limit rule for all users (X-RateLimit-* headers, 429 + Retry-After).
// Sources and marks: docs/EMULATORS.md ("Instance profiles" and the contract table).
import { stableHex } from "../common/rng";
import { type RateLimitRule } from "./rate-limit";
import { type FieldDef, type ResolvedTable } from "./schema";

export const SERVICENOW_PROFILES = ["baseline", "customized"] as const;
export type ServiceNowProfileName = (typeof SERVICENOW_PROFILES)[number];

export type DataPolicyRuleSpec = { field: string; mandatory: "true" | "false" | "ignore" };

export type DataPolicySpec = {
  sysId: string;
  shortDescription: string;
  table: string;
  /** Encoded query the record must match for the policy to apply ("" = always). */
  conditions: string;
  applyImportSet: boolean;
  applySoap: boolean;
  rules: DataPolicyRuleSpec[];
};

export type ServiceNowProfile = {
  name: ServiceNowProfileName;
  description: string;
  /** Custom (u_*) fields the instance's admins added, per table. */
  customFields: Record<string, FieldDef[]>;
  /** Seed value of each custom field on the instance's own (seeded) records, per table. */
  customSeedValues: Record<string, Record<string, string>>;
  dataPolicies: DataPolicySpec[];
  /** The hourly rule in force when the instance starts (null: none, the platform's default). */
  rateLimit: RateLimitRule | null;
};

const BASELINE: ServiceNowProfile = {
  name: "baseline",
  description: "Current release with its documented defaults: no data policy on inserts, current close codes, no rate-limit rule.",
  customFields: {},
  customSeedValues: {},
  dataPolicies: [],
  rateLimit: null,
};

const CUSTOMIZED: ServiceNowProfile = {
  name: "customized",
  description:
    "A customer instance: data policy making incident.category and incident.u_business_service mandatory on insert, current close codes, an hourly REST rate limit.",
  customFields: {
    incident: [{ name: "u_business_service", label: "Business service", type: "string", maxLength: 100 }],
  },
  customSeedValues: { incident: { u_business_service: "Corporate IT" } },
  dataPolicies: [
    {
      sysId: stableHex(32, "servicenow-emulator", "sys_data_policy2", "incident-classification"),
      shortDescription: "Incident classification is mandatory",
      table: "incident",
      conditions: "",
      applyImportSet: true,
      applySoap: true,
      rules: [
        { field: "category", mandatory: "true" },
        { field: "u_business_service", mandatory: "true" },
      ],
    },
  ],
  // High enough for the demo and the test suites; low enough to be a real rule with real headers.
  rateLimit: { limitPerHour: 20_000 },
};

const PROFILES: Record<ServiceNowProfileName, ServiceNowProfile> = { baseline: BASELINE, customized: CUSTOMIZED };

export function serviceNowProfile(name: ServiceNowProfileName = "baseline"): ServiceNowProfile {
  return PROFILES[name];
}

/** POSTUREDESK_EMULATOR_PROFILE → a profile name; unset or empty = baseline; anything else is an error. */
export function profileNameFromEnv(value: string | undefined): ServiceNowProfileName {
  const v = (value ?? "").trim();
  if (v === "") return "baseline";
  if ((SERVICENOW_PROFILES as readonly string[]).includes(v)) return v as ServiceNowProfileName;
  throw new Error(`POSTUREDESK_EMULATOR_PROFILE must be one of ${SERVICENOW_PROFILES.join(", ")} (got "${v}")`);
}

/** A table as this instance has it: the base definition plus the profile's custom fields. */
export function withProfile(table: ResolvedTable, profile: ServiceNowProfile): ResolvedTable {
  const extra = profile.customFields[table.storage];
  if (!extra?.length) return table;
  const fields = { ...table.def.fields };
  for (const field of extra) fields[field.name] = field;
  return { ...table, def: { ...table.def, fields } };
}
