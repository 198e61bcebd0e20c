// PostureDesk's Azure client: `createAzureClient(config)` gives SecurityCenter instances (one per
// subscription, sharing one MSAL credential) with PostureDesk's policies, streaming helpers over the SDK's
// paged listings, raw ARM calls through the same authenticated pipeline (governance, Resource Graph,
// subscriptions) and errors mapped to AppError. Point `armEndpoint` / `authorityHost` at the emulators for
// local runs; the process must then trust the local CA (NODE_EXTRA_CA_CERTS at start).
import "server-only";
import type { TokenCredential } from "@azure/core-auth";
import { SecurityCenter } from "@azure/arm-security";
import { createHttpHeaders, createPipelineRequest } from "@azure/core-rest-pipeline";
import type { z } from "zod";
import { AppError } from "@/lib/http/errors";
import { metrics } from "@/lib/metrics";
import { armScopeOf } from "./clouds";
import { createMsalCredential, type MsalCredentialConfig } from "./credential";
import { armErrorText, statusToCode, toAzureAppError } from "./errors";
import { createGovernanceApi, type GovernanceApi } from "./governance";
import { originGuardPolicy, readPacingPolicy, requestCounterPolicy, throttleRetryPolicy, timeoutPolicy } from "./policies";
import { createQuotaPacer, createResourceGraphApi, type ResourceGraphApi } from "./resource-graph";
import { type AzureSubscription, ZArmList, ZSubscription } from "./schemas";
import { createSecurityStreams, type SecurityStreams } from "./streams";

export type AzureClientConfig = {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Default https://login.microsoftonline.com. */
  authorityHost?: string;
  /** Default https://management.azure.com. */
  armEndpoint?: string;
  /**
   * Token audience of Resource Manager (and Resource Graph): every token is asked for
   * `${armAudience}/.default`. Default https://management.azure.com; it must follow the cloud
   * (https://management.usgovcloudapi.net for Azure US Government), whatever host `armEndpoint` names.
   */
  armAudience?: string;
  knownAuthorities?: string[];
  /** Per HTTP request (default 30 s). */
  timeoutMs?: number;
  /** SDK retries for 5xx and for 429/503 that carry Retry-After (defaults: 3, 1 s, 30 s). */
  retry?: { maxRetries?: number; retryDelayInMs?: number; maxRetryDelayInMs?: number };
  /** Our retries for 429 without Retry-After (defaults: 4 retries, 2 s base, 30 s cap). */
  throttle?: { maxRetries?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** ARM read pacing from x-ms-ratelimit-remaining-*-reads (defaults: below 25 left, 25 per second refill, 5 s cap). */
  readPacing?: { lowWater?: number; refillPerSecond?: number; maxDelayMs?: number };
  /** Use an existing credential instead of client id/secret (tests, managed identity). */
  credential?: TokenCredential;
  /** MSAL's HTTP client for the token requests (lib/net/guarded-fetch.ts). */
  networkClient?: MsalCredentialConfig["networkClient"];
};

export type RawResponse<T> = { status: number; body: T; headers: Record<string, string> };

export type RawRequest<T> = {
  method: "GET" | "PUT" | "POST" | "PATCH" | "DELETE";
  /** Path under the ARM endpoint (with leading slash), or an absolute URL (a nextLink). */
  path: string;
  apiVersion?: string;
  body?: unknown;
  schema?: z.ZodType<T>;
  /** Words for error messages, e.g. "governance assignment PUT". */
  what: string;
  /** Statuses that are answers, not errors (e.g. 404 on a GET that may miss). */
  acceptStatuses?: number[];
};

export type AzureClient = SecurityStreams & {
  armEndpoint: string;
  /** The scope every Resource Manager token is asked for. */
  armScope: string;
  credential: TokenCredential;
  /** The SDK client for one subscription (cached). */
  security(subscriptionId: string): SecurityCenter;
  /** A raw ARM call through the authenticated, retrying pipeline; JSON in and out, zod-checked. */
  raw<T = unknown>(request: RawRequest<T>): Promise<RawResponse<T | undefined>>;
  listSubscriptions(): Promise<AzureSubscription[]>;
  governance: GovernanceApi;
  resourceGraph: ResourceGraphApi;
  /** What pacing did so far: ARM reads (remaining-reads headers) and Resource Graph (user quota headers). */
  pacing(): {
    armReads: { waits: number; waitedMs: number; lowestRemaining: number | null };
    resourceGraph: { requests: number; waits: number; waitedMs: number; lowestRemaining: number | null };
  };
};

export function createAzureClient(config: AzureClientConfig): AzureClient {
  const armEndpoint = (config.armEndpoint ?? "https://management.azure.com").replace(/\/+$/, "");
  // @azure/arm-security 5 asks for https://management.azure.com/.default whatever the endpoint: name the
  // cloud's scope explicitly, for the SDK and for raw calls (which share its pipeline).
  const armScope = armScopeOf(config.armAudience ?? "https://management.azure.com");
  const credential =
    config.credential ??
    createMsalCredential({
      tenantId: config.tenantId,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      authorityHost: config.authorityHost,
      knownAuthorities: config.knownAuthorities,
      timeoutMs: config.timeoutMs,
      networkClient: config.networkClient,
    });
  const timeoutMs = config.timeoutMs ?? 30_000;
  const clients = new Map<string, SecurityCenter>();
  // One of each per client: ARM counts reads per subscription and principal, Resource Graph per principal.
  const readPacer = readPacingPolicy({
    lowWater: config.readPacing?.lowWater ?? 25,
    refillPerSecond: config.readPacing?.refillPerSecond ?? 25,
    maxDelayMs: config.readPacing?.maxDelayMs ?? 5_000,
  });
  const graphPacer = createQuotaPacer();

  const security = (subscriptionId: string): SecurityCenter => {
    const key = subscriptionId.toLowerCase();
    let client = clients.get(key);
    if (!client) {
      client = new SecurityCenter(credential, key, {
        endpoint: armEndpoint,
        credentialScopes: [armScope],
        retryOptions: {
          maxRetries: config.retry?.maxRetries ?? 3,
          retryDelayInMs: config.retry?.retryDelayInMs ?? 1000,
          maxRetryDelayInMs: config.retry?.maxRetryDelayInMs ?? 30_000,
        },
        // perRetry = inside the SDK's retry loop and before the bearer token is attached, and below the
        // deserializer, so the policies see raw responses (the deserializer throws on a 429).
        additionalPolicies: [
          { policy: originGuardPolicy(armEndpoint), position: "perRetry" },
          { policy: timeoutPolicy(timeoutMs), position: "perRetry" },
          { policy: readPacer, position: "perRetry" },
          {
            policy: throttleRetryPolicy({
              maxRetries: config.throttle?.maxRetries ?? 4,
              baseDelayMs: config.throttle?.baseDelayMs ?? 2000,
              maxDelayMs: config.throttle?.maxDelayMs ?? 30_000,
            }),
            position: "perRetry",
          },
          // Innermost of ours, so every attempt the throttle policy makes is counted once.
          {
            policy: requestCounterPolicy((status) => metrics().externalRequests.inc({ system: "azure", status: String(status) })),
            position: "perRetry",
          },
        ],
      });
      clients.set(key, client);
    }
    return client;
  };
  // Raw calls need some SecurityCenter pipeline; its subscription id is unused by them.
  const rawClient = () => security("00000000-0000-0000-0000-000000000000");

  async function raw<T>(request: RawRequest<T>): Promise<RawResponse<T | undefined>> {
    const url = new URL(/^https?:\/\//i.test(request.path) ? request.path : `${armEndpoint}${request.path}`);
    if (request.apiVersion && !url.searchParams.has("api-version")) url.searchParams.set("api-version", request.apiVersion);
    const isWrite = request.method !== "GET";
    let response;
    try {
      response = await rawClient().sendRequest(
        createPipelineRequest({
          url: url.toString(),
          method: request.method,
          headers: createHttpHeaders({
            accept: "application/json",
            ...(request.body !== undefined ? { "content-type": "application/json" } : {}),
          }),
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
          timeout: timeoutMs,
        }),
      );
    } catch (error) {
      throw toAzureAppError(error, request.what, { isWrite });
    }
    const text = response.bodyAsText ?? "";
    let json: unknown;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch {
        throw new AppError("UPSTREAM_UNAVAILABLE", {
          message: `Azure ${request.what} answered HTTP ${response.status} with a body that is not JSON.`,
        });
      }
    }
    const headers = Object.fromEntries([...response.headers].map(([k, v]) => [k.toLowerCase(), v]));
    const isAccepted = request.acceptStatuses?.includes(response.status) ?? false;
    if (response.status >= 400 && !isAccepted) {
      const retryAfter = Number(headers["retry-after"]);
      const remote = armErrorText(json);
      throw new AppError(statusToCode(response.status), {
        message: `Azure ${request.what} failed with HTTP ${response.status}: ${remote ?? "no error body"}`,
        retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : undefined,
        // ARM's documented error (code: message) for the excerpt Test connection may show (lib/azure-tenants/failure.ts).
        cause: remote ? Object.assign(new Error("ARM error response"), { armErrorText: remote }) : undefined,
      });
    }
    if (request.schema && json !== undefined && response.status < 400) {
      const parsed = request.schema.safeParse(json);
      if (!parsed.success) {
        throw new AppError("UPSTREAM_UNAVAILABLE", {
          message: `Azure ${request.what} answered in an unexpected shape: ${parsed.error.issues
            .slice(0, 3)
            .map((i) => `${i.path.join(".")}: ${i.message}`)
            .join("; ")}`,
        });
      }
      return { status: response.status, body: parsed.data, headers };
    }
    return { status: response.status, body: json as T | undefined, headers };
  }

  return {
    armEndpoint,
    armScope,
    credential,
    security,
    raw,
    ...createSecurityStreams(security),
    async listSubscriptions() {
      const out: AzureSubscription[] = [];
      let next: string | undefined = "/subscriptions";
      while (next) {
        const page: RawResponse<z.infer<typeof ZArmList> | undefined> = await raw({
          method: "GET",
          path: next,
          apiVersion: "2022-12-01",
          schema: ZArmList,
          what: "subscription list",
        });
        for (const item of page.body?.value ?? []) {
          const s = ZSubscription.parse(item);
          out.push({ subscriptionId: s.subscriptionId.toLowerCase(), displayName: s.displayName, state: s.state });
        }
        next = page.body?.nextLink ?? undefined;
      }
      return out;
    },
    governance: createGovernanceApi(raw),
    resourceGraph: createResourceGraphApi(raw, graphPacer),
    pacing: () => ({ armReads: readPacer.stats(), resourceGraph: graphPacer.stats() }),
  };
}
