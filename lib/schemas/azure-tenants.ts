import { z } from "zod";
import { AZURE_CLOUDS, CHINA_CLOUD_REFUSAL, CLOUD_ENDPOINTS, isChinaCloudUrl, type TAzureCloud } from "@/lib/azure/clouds";
import { ZBooleanQuery, ZPageQuery } from "@/lib/schemas/common";

// Azure tenant connections: what an admin may send, what the API answers. The client secret is
// write-only: accepted here, never part of a DTO.

const ZGuid = z
  .string()
  .trim()
  .regex(
    /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
    "must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
  )
  .transform((v) => v.toLowerCase());

/** Entra accepts a verified domain in place of the tenant GUID (contoso.onmicrosoft.com). */
const ZTenantId = z
  .string()
  .trim()
  .min(1, "is required")
  .max(200)
  .regex(
    /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[a-zA-Z0-9][a-zA-Z0-9.-]*\.[a-zA-Z]{2,})$/,
    "must be the directory (tenant) GUID or a verified domain",
  )
  .transform((v) => v.toLowerCase());

const ZHttpsOrigin = (example: string) =>
  z
    .string()
    .trim()
    .max(300)
    .url(`must be a URL such as ${example}`)
    .refine((v) => v.toLowerCase().startsWith("https://"), "must start with https://")
    .transform((v) => new URL(v).origin);

export const DEFAULT_AUTHORITY_HOST = CLOUD_ENDPOINTS.public.authorityHost;
export const DEFAULT_ARM_ENDPOINT = CLOUD_ENDPOINTS.public.armEndpoint;

/** The cloud; "china" (Azure operated by 21Vianet) is named so it can be refused with the reason. */
const ZCloud = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => v !== "china" && v !== "azurechinacloud", CHINA_CLOUD_REFUSAL)
  .refine((v) => (AZURE_CLOUDS as readonly string[]).includes(v), `must be one of ${AZURE_CLOUDS.join(", ")}`)
  .transform((v) => v as TAzureCloud);

/** A token audience (application ID URI of Resource Manager), kept without a trailing slash. */
const ZAudience = z
  .string()
  .trim()
  .max(300)
  .url("must be a URI such as https://management.azure.com")
  .refine((v) => v.toLowerCase().startsWith("https://"), "must start with https://")
  .transform((v) => v.replace(/\/+$/, ""));

const tenantFields = {
  /** public / usgov: endpoints and token audience follow from it (endpoints may be overridden for a proxy). */
  cloud: ZCloud,
  /** Token audience for Resource Manager and Resource Graph; custom clouds only (others follow the cloud). */
  armAudience: ZAudience,
  name: z.string().trim().min(1, "is required").max(100),
  tenantId: ZTenantId,
  clientId: ZGuid,
  /** Taken as typed (no trimming). */
  clientSecret: z.string().min(1, "is required").max(1000),
  authorityHost: ZHttpsOrigin(DEFAULT_AUTHORITY_HOST),
  armEndpoint: ZHttpsOrigin(DEFAULT_ARM_ENDPOINT),
  /** Allows loopback/private endpoints (the bundled emulators); the server must allow it too. */
  allowPrivateNetwork: z.boolean(),
  /** Resource Graph is the bulk path across subscriptions (docs/ARCHITECTURE.md, ingestion). */
  useResourceGraph: z.boolean(),
  syncIntervalMinutes: z
    .number()
    .int()
    .min(5, "at least 5 minutes")
    .max(7 * 24 * 60, "at most 7 days"),
  /** Subscriptions to ingest, among those discovered; omitted = every visible subscription. */
  includedSubscriptionIds: z.array(ZGuid).max(1000),
};

type CloudFields = { cloud?: TAzureCloud; authorityHost?: string; armEndpoint?: string; armAudience?: string };

/** Refuses endpoints of Azure operated by 21Vianet (with the reason), and an audience outside a custom cloud. */
function checkCloudFields(v: CloudFields, ctx: z.RefinementCtx): void {
  for (const key of ["authorityHost", "armEndpoint", "armAudience"] as const) {
    if (v[key] && isChinaCloudUrl(v[key])) ctx.addIssue({ code: "custom", path: [key], message: CHINA_CLOUD_REFUSAL });
  }
  if (v.armAudience !== undefined && v.cloud !== undefined && v.cloud !== "custom") {
    ctx.addIssue({
      code: "custom",
      path: ["armAudience"],
      message: `follows from the cloud (${CLOUD_ENDPOINTS[v.cloud].armAudience}); set it only with cloud "custom"`,
    });
  }
}

export const ZCreateAzureTenant = z
  .object({
    ...tenantFields,
    cloud: tenantFields.cloud.default("public"),
    authorityHost: tenantFields.authorityHost.optional(),
    armEndpoint: tenantFields.armEndpoint.optional(),
    armAudience: tenantFields.armAudience.optional(),
    allowPrivateNetwork: tenantFields.allowPrivateNetwork.default(false),
    useResourceGraph: tenantFields.useResourceGraph.default(true),
    syncIntervalMinutes: tenantFields.syncIntervalMinutes.default(60),
  })
  // Subscriptions are picked once the connection exists and a test has discovered them.
  .omit({ includedSubscriptionIds: true })
  .strict()
  .superRefine((v, ctx) => {
    checkCloudFields(v, ctx);
    if (v.cloud === "custom") {
      for (const key of ["authorityHost", "armEndpoint"] as const)
        if (!v[key]) ctx.addIssue({ code: "custom", path: [key], message: "is required for custom endpoints" });
    }
  })
  // Endpoints default to the cloud's; the audience follows the cloud (custom: defaults to the ARM endpoint).
  .transform((v) => {
    const known = v.cloud === "custom" ? null : CLOUD_ENDPOINTS[v.cloud];
    const armEndpoint = v.armEndpoint ?? known?.armEndpoint ?? DEFAULT_ARM_ENDPOINT;
    return {
      ...v,
      authorityHost: v.authorityHost ?? known?.authorityHost ?? DEFAULT_AUTHORITY_HOST,
      armEndpoint,
      armAudience: known ? known.armAudience : (v.armAudience ?? armEndpoint),
    };
  });
export type TCreateAzureTenant = z.infer<typeof ZCreateAzureTenant>;
export type TCreateAzureTenantInput = z.input<typeof ZCreateAzureTenant>;

/** Every field optional; a secret left out keeps the stored one. The service resolves the cloud's endpoints. */
export const ZUpdateAzureTenant = z.object(tenantFields).partial().strict().superRefine(checkCloudFields);
export type TUpdateAzureTenant = z.infer<typeof ZUpdateAzureTenant>;
export type TUpdateAzureTenantInput = z.input<typeof ZUpdateAzureTenant>;

export const ZAzureTenantsQuery = ZPageQuery.extend({ includeArchived: ZBooleanQuery });
export type TAzureTenantsQuery = z.infer<typeof ZAzureTenantsQuery>;

/** `POST …/sync?mode=incremental` — a query parameter, so the request needs no body. */
export const ZSyncQuery = z.object({ mode: z.enum(["full", "incremental"]).default("full") });

export type TSubscriptionDto = {
  subscriptionId: string;
  displayName: string;
  state: string;
  isIncluded: boolean;
  lastIngestedAt: string | null;
};

export type TSyncRunSummary = {
  id: string;
  status: "queued" | "running" | "succeeded" | "partial" | "failed" | "canceled";
  trigger: string;
  phase: string | null;
  progressDone: number;
  progressTotal: number;
  queuedAt: string;
  finishedAt: string | null;
  error: string | null;
};

export type TAzureTenantDto = {
  id: string;
  name: string;
  tenantId: string;
  clientId: string;
  /** Secrets are write-only: only whether one is stored. */
  hasClientSecret: boolean;
  cloud: TAzureCloud;
  /** Token audience: the scope of every Resource Manager and Resource Graph token is `${armAudience}/.default`. */
  armAudience: string;
  authorityHost: string;
  armEndpoint: string;
  allowPrivateNetwork: boolean;
  useResourceGraph: boolean;
  syncIntervalMinutes: number;
  subscriptions: TSubscriptionDto[];
  findingCount: number;
  lastSyncAt: string | null;
  lastFullSyncAt: string | null;
  nextSyncAt: string | null;
  lastRun: TSyncRunSummary | null;
  createdAt: string;
  updatedAt: string;
  /** Set when the connection was deleted: its findings and history stay viewable. */
  archivedAt: string | null;
};

export type TAzureTestStep = {
  id: string;
  label: string;
  status: "ok" | "warning" | "failed" | "skipped";
  message: string;
};

export type TAzureTestResult = {
  isOk: boolean;
  testedAt: string;
  durationMs: number;
  steps: TAzureTestStep[];
  /** Subscriptions the service principal can see (also stored on the connection). */
  subscriptions: TSubscriptionDto[];
};

export type TSyncAccepted = { runId: string; isNew: boolean };
