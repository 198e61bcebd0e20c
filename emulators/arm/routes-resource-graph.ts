// Resource Graph: POST /providers/Microsoft.ResourceGraph/resources over the `resources` and
// `securityresources` tables (KQL subset in kql.ts), paged with options.$top (≤ 1000, default 100),
// $skip and $skipToken, answering in the ResourcesFirstPageQuery / NextPage shapes. And the
// subscription list (GET /subscriptions), which clients use to discover their scope.
import { createHash } from "node:crypto";
import { z } from "zod";
import { HttpError, type Router } from "../common/http";
import { RT } from "../seed/resource-types";
import type { Resource } from "../seed/types";
import { complianceRows } from "./compliance";
import { secureScoreRows } from "./scores";
import { armError } from "./errors";
import { securityRow } from "./graph-rows";
import { KqlError, parseKql } from "./kql";
import { resourceTagsOf } from "./resource-tags";
import { armJson, type ArmRuntime, guard, sendPage, worldIndex } from "./runtime";
import type { ArmState } from "./state";
import { assessmentProperties } from "./serialize";
import { scanEpochOf, subAssessmentsOf } from "./sub-assessments";

export const RESOURCE_GRAPH_API_VERSIONS = [
  "2024-04-01",
  "2022-10-01",
  "2021-06-01-preview",
  "2021-03-01",
  "2020-04-01-preview",
  "2019-04-01",
] as const;
export const SUBSCRIPTION_API_VERSIONS = ["2022-12-01", "2021-01-01", "2020-01-01", "2019-11-01", "2016-06-01"] as const;

const ZQuery = z.object({
  subscriptions: z.array(z.string()).optional(),
  managementGroups: z.array(z.string()).optional(),
  query: z.string().min(1).max(100_000),
  options: z
    .object({
      $top: z.number().int().min(1).max(1000).optional(),
      $skip: z.number().int().min(0).optional(),
      $skipToken: z.string().optional(),
      resultFormat: z.enum(["objectArray", "table"]).optional(),
      allowPartialScopes: z.boolean().optional(),
      authorizationScopeFilter: z.string().optional(),
    })
    .passthrough()
    .optional(),
  facets: z.array(z.unknown()).optional(),
});

type Row = Record<string, unknown>;
const rowCache = new WeakMap<object, { version: number; epoch: number; table: string; rows: Row[] }[]>();
// Paging a large result re-sends the same query for every page: keep the last few results of each state
// object (reset/reseed replace it) and version (bumped on every change).
const resultCaches = new WeakMap<object, Map<string, Row[]>>();
const RESULT_CACHE_SIZE = 8;

function resourceRow(tenantId: string, r: Resource, tags: Record<string, string>): Row {
  const isVm = r.type === RT.vm;
  const osType = parseInt(createHash("sha1").update(r.id).digest("hex").slice(0, 2), 16) % 3 === 0 ? "Windows" : "Linux";
  return {
    id: r.id,
    name: r.name,
    type: r.type.toLowerCase(),
    tenantId,
    kind: "",
    location: r.location,
    resourceGroup: r.resourceGroup.toLowerCase(),
    subscriptionId: r.subscriptionId,
    managedBy: "",
    sku: null,
    plan: null,
    properties: isVm
      ? { provisioningState: "Succeeded", storageProfile: { osDisk: { osType } }, hardwareProfile: { vmSize: "Standard_D2s_v5" } }
      : { provisioningState: "Succeeded" },
    // A copy: rows are cached and handed to the KQL stages, which must not reach the state.
    tags: { ...tags },
    identity: null,
    zones: null,
    extendedLocation: null,
  };
}

function tableRows(rt: ArmRuntime, table: string): Row[] {
  const state = rt.state();
  let entries = rowCache.get(state);
  if (!entries) rowCache.set(state, (entries = []));
  // Sub-assessments change with the emulated scans (sub-assessments.ts), not only with the state.
  const epoch = scanEpochOf(rt.ctx.clock.now());
  const hit = entries.find((e) => e.table === table && e.version === state.version && e.epoch === epoch);
  if (hit) return hit.rows;
  const world = rt.ctx.world;
  const index = worldIndex(world);
  let rows: Row[];
  // Subscriptions live in `resourcecontainers` in Resource Graph, not in `resources`.
  if (table === "resources")
    rows = world.resources
      .filter((r) => r.type !== RT.subscription && !r.cloud)
      .map((r) => resourceRow(world.tenantId, r, resourceTagsOf(state, r)));
  else if (table === "securityresources") {
    rows = [];
    for (const list of state.bySubscription.values()) {
      for (const a of list) {
        const resource = index.resources.get(a.resourceId.toLowerCase());
        rows.push(
          securityRow(world.tenantId, {
            id: a.id,
            name: a.key,
            type: "microsoft.security/assessments",
            resourceGroup: resource?.resourceGroup.toLowerCase() ?? "",
            subscriptionId: a.subscriptionId,
            properties: assessmentProperties(a, index.recommendations.get(a.key.toLowerCase()), resource, { links: true, metadata: true }),
          }),
        );
      }
    }
    const now = rt.ctx.clock.now();
    for (const list of state.bySubscription.values()) {
      for (const a of list) {
        if (a.status !== "Unhealthy") continue;
        const resource = index.resources.get(a.resourceId.toLowerCase());
        for (const sub of subAssessmentsOf(a, index.recommendations.get(a.key.toLowerCase())?.displayName, resource, now)) {
          rows.push(
            securityRow(world.tenantId, {
              id: sub.id,
              name: sub.name,
              type: "microsoft.security/assessments/subassessments",
              resourceGroup: resource?.resourceGroup.toLowerCase() ?? "",
              subscriptionId: a.subscriptionId,
              properties: sub.properties,
            }),
          );
        }
      }
    }
    for (const g of state.assignments.values()) {
      rows.push({
        id: g.id,
        name: g.key,
        type: "microsoft.security/assessments/governanceassignments",
        tenantId: world.tenantId,
        subscriptionId: /\/subscriptions\/([^/]+)/i.exec(g.id)?.[1]?.toLowerCase() ?? "",
        resourceGroup: "",
        properties: g.properties,
      });
    }
  } else throw new KqlError(`Table '${table}' is not supported by the emulator (use resources or securityresources).`);
  entries.splice(0, entries.length, ...entries.filter((e) => e.table !== table), { version: state.version, epoch, table, rows });
  return rows;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Resource Graph's documented maximum of subscriptions in one request. */
export const MAX_SUBSCRIPTIONS_PER_REQUEST = 1000;
const DOCUMENTED_QUOTA = 15;

function hhmmss(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}

/**
 * Counts one query against the principal's quota window: the headers Resource Graph puts on every
 * answer, or a 429 with Retry-After once the quota is spent (until the window resets).
 */
const GRAPH_LOG_SIZE = 10_000;

function logGraphRequest(rt: ArmRuntime, entry: Omit<ArmState["graphLog"][number], "at">): void {
  const log = rt.state().graphLog;
  log.push({ at: new Date(rt.ctx.clock.now()).toISOString(), ...entry });
  if (log.length > GRAPH_LOG_SIZE) log.splice(0, log.length - GRAPH_LOG_SIZE);
}

function spendQuota(rt: ArmRuntime, principal: string): Record<string, string> {
  const quota = rt.state().config.resourceGraphQuota;
  const limit = quota?.limit ?? DOCUMENTED_QUOTA;
  const windowMs = (quota?.windowSeconds ?? 5) * 1000;
  const now = rt.ctx.clock.now();
  let bucket = rt.state().graphQuota.get(principal);
  if (!bucket || now - bucket.windowStart >= windowMs) {
    bucket = { windowStart: now, count: 0 };
    rt.state().graphQuota.set(principal, bucket);
  }
  const resetsAfter = bucket.windowStart + windowMs - now;
  if (quota && bucket.count >= limit) {
    throw armError(
      429,
      "RateLimiting",
      "Please provide below info when asking for support: timestamp and correlation id. Client application has been throttled and should not attempt to repeat the request until an amount of time has elapsed. Please see https://aka.ms/resourcegraph-throttling for help.",
      {
        "retry-after": String(Math.max(1, Math.ceil(resetsAfter / 1000))),
        "x-ms-user-quota-remaining": "0",
        "x-ms-user-quota-resets-after": hhmmss(resetsAfter),
      },
    );
  }
  bucket.count++;
  // Unlimited (null) still reports a count that refills each window, as a real quota would look.
  return { "x-ms-user-quota-remaining": String(Math.max(0, limit - bucket.count)), "x-ms-user-quota-resets-after": hhmmss(resetsAfter) };
}

function invalidQuery(message: string): HttpError {
  return new HttpError(
    400,
    "BadRequest",
    "Please provide below info when asking for support: timestamp and correlation id. Query is invalid. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying.",
    {},
    `InvalidQuery: ${message}`,
  );
}

export function registerResourceGraphRoutes(router: Router, rt: ArmRuntime): void {
  router.post("/providers/Microsoft.ResourceGraph/resources", async (req, res) => {
    const g = await guard(rt, req, { apiVersions: RESOURCE_GRAPH_API_VERSIONS, action: "Microsoft.ResourceGraph/resources/read" });
    const parsed = ZQuery.safeParse(req.body);
    if (!parsed.success) throw invalidQuery(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
    const body = parsed.data;
    if (body.managementGroups?.length) throw invalidQuery("Management group scopes are not supported by the emulator.");
    if ((body.subscriptions?.length ?? 0) > MAX_SUBSCRIPTIONS_PER_REQUEST) {
      throw new HttpError(
        400,
        "BadRequest",
        "Please provide below info when asking for support: timestamp and correlation id.",
        {},
        `TooManySubscriptions: The number of subscriptions in the request (${body.subscriptions!.length}) has exceeded the allowed limit ${MAX_SUBSCRIPTIONS_PER_REQUEST}. Please batch the subscriptions in groups of fewer than ${MAX_SUBSCRIPTIONS_PER_REQUEST}.`,
      );
    }
    const scopeSize = body.subscriptions?.length ?? null;
    const requestedTop = body.options?.$top ?? null;
    let quotaHeaders: Record<string, string>;
    try {
      quotaHeaders = spendQuota(rt, g.principal);
    } catch (error) {
      logGraphRequest(rt, { subscriptions: scopeSize, top: requestedTop, status: 429, quotaRemaining: 0 });
      throw error;
    }
    logGraphRequest(rt, {
      subscriptions: scopeSize,
      top: requestedTop,
      status: 200,
      quotaRemaining: Number(quotaHeaders["x-ms-user-quota-remaining"]),
    });
    const world = rt.ctx.world;
    const isReader = rt.options.readerObjectIds().includes(g.principal);
    const accessible = isReader ? world.subscriptions.map((s) => s.subscriptionId) : [];
    const requested = (body.subscriptions ?? accessible).map((s) => s.toLowerCase());
    const denied = requested.filter((s) => !accessible.includes(s));
    if (denied.length > 0 && !body.options?.allowPartialScopes) {
      throw armError(
        403,
        "AuthorizationFailed",
        `The client '${g.principal}' does not have authorization to perform action 'Microsoft.ResourceGraph/resources/read' over subscriptions '${denied.join(",")}'.`,
      );
    }
    const scope = new Set(requested.filter((s) => accessible.includes(s)));

    const fingerprint = createHash("sha256")
      .update(`${body.query}\u0000${[...scope].sort().join(",")}`)
      .digest("base64url")
      .slice(0, 16);
    const cacheKey = `${fingerprint}:${rt.state().version}:${scanEpochOf(rt.ctx.clock.now())}`;
    let resultCache = resultCaches.get(rt.state());
    if (!resultCache) resultCaches.set(rt.state(), (resultCache = new Map()));
    let rows = resultCache.get(cacheKey);
    if (!rows) {
      let result: { rows: Row[]; isOrdered: boolean };
      try {
        const query = parseKql(body.query);
        let input = tableRows(rt, query.table).filter((r) => scope.has(String(r.subscriptionId)));
        // Regulatory compliance rows are computed per subscription and only for queries that ask for them
        // (hundreds per subscription: an estate of thousands would make every query pay for them).
        if (query.table === "securityresources" && /regulatorycompliance/i.test(body.query))
          input = input.concat(complianceRows(rt, scope));
        if (query.table === "securityresources" && /securescore/i.test(body.query)) input = input.concat(secureScoreRows(rt, scope));
        result = query.run(input);
      } catch (error) {
        if (error instanceof KqlError) throw invalidQuery(error.message);
        throw error;
      }
      // Paging needs a stable order: by id, as Resource Graph does when the rows carry one.
      rows = result.isOrdered ? result.rows : [...result.rows].sort((a, b) => compareIds(String(a.id ?? ""), String(b.id ?? "")));
      resultCache.set(cacheKey, rows);
      if (resultCache.size > RESULT_CACHE_SIZE) resultCache.delete(resultCache.keys().next().value!);
    }
    let offset = body.options?.$skip ?? 0;
    // The token remembers the page size, so a next-page request without $top keeps it (as Resource Graph does).
    let tokenTop: number | undefined;
    if (body.options?.$skipToken) {
      try {
        const token = JSON.parse(Buffer.from(body.options.$skipToken, "base64").toString("utf8")) as { o: number; q: string; t?: number };
        if (token.q !== fingerprint || !Number.isInteger(token.o)) throw new Error("mismatch");
        offset = token.o;
        tokenTop = token.t;
      } catch {
        throw invalidQuery("The $skipToken does not belong to this query.");
      }
    }
    const top = body.options?.$top ?? tokenTop ?? 100;
    const page = rows.slice(offset, offset + top);
    const hasMore = offset + top < rows.length;
    const response: Record<string, unknown> = { totalRecords: rows.length, count: page.length, resultTruncated: "false" };
    if (hasMore) response.$skipToken = Buffer.from(JSON.stringify({ o: offset + top, q: fingerprint, t: top })).toString("base64");
    response.facets = [];
    if (body.options?.resultFormat === "table") {
      const columns = [...new Set(page.flatMap((r) => Object.keys(r)))];
      response.data = {
        columns: columns.map((name) => ({ name, type: "object" })),
        rows: page.map((r) => columns.map((c) => r[c] ?? null)),
      };
    } else response.data = page;
    armJson(res, 200, response, g, quotaHeaders);
  });

  const subscriptionBody = (s: (typeof rt.ctx.world.subscriptions)[number]) => ({
    id: `/subscriptions/${s.subscriptionId}`,
    authorizationSource: "RoleBased",
    managedByTenants: [],
    subscriptionId: s.subscriptionId,
    tenantId: rt.ctx.world.tenantId,
    displayName: s.displayName,
    state: s.state,
    subscriptionPolicies: { locationPlacementId: "Public_2014-09-01", quotaId: "EnterpriseAgreement_2014-09-01", spendingLimit: "Off" },
  });
  router.get("/subscriptions", async (req, res) => {
    const g = await guard(rt, req, { apiVersions: SUBSCRIPTION_API_VERSIONS, action: "Microsoft.Resources/subscriptions/read" });
    // A principal without any role sees an empty list, as in Azure.
    const visible = rt.options.readerObjectIds().includes(g.principal) ? rt.ctx.world.subscriptions : [];
    await sendPage(rt, req, res, g, visible, subscriptionBody);
  });
  router.get("/subscriptions/:subscriptionId", async (req, res) => {
    const subscriptionId = req.params.subscriptionId!.toLowerCase();
    const g = await guard(rt, req, {
      apiVersions: SUBSCRIPTION_API_VERSIONS,
      subscriptionId,
      action: "Microsoft.Resources/subscriptions/read",
    });
    armJson(res, 200, subscriptionBody(rt.ctx.world.subscriptions.find((s) => s.subscriptionId === subscriptionId)!), g);
  });
}
