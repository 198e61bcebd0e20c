// Builds the seeded world shared by the three emulators: `buildWorld(seed, size)` is deterministic (same
// seed, size and anchor → the same world, byte for byte). Sizes:
//   small ≈ 2 subscriptions, 25 recommendation types, 300 assessments   (fast tests)
//   demo  ≈ 3 subscriptions, 80 types, 2,500 assessments                 (a demo that looks real)
//   large = 20 subscriptions, 300 types, 100,000 assessments             (benchmarks; builds in ~1 s;
//           `{ assessments }` scales it, e.g. to 1,000,000 — the same world with more resources)
//   estate = 2,500 subscriptions, 25 types, 10,000 assessments           (Resource Graph batching and quota)
// Dates are placed relative to `anchor` (default: a fixed instant, so tests can compare worlds); the
// emulators pass the start of the current UTC day so that a demo's findings look recent.
import { createRng, type Rng, stableHex, stableUuid } from "../common/rng";
import { type CatalogRecommendation, recommendationCatalog } from "./catalog";
import { buildGroups, buildPeople } from "./people";
import { addMulticloud } from "./multicloud";
import { remediateSettledRecommendations } from "./remediation";
import { NAME_PATTERNS, RESOURCE_TYPE_WEIGHTS, RT, type ResourceTypeName } from "./resource-types";
import type { Assessment, Person, Resource, SeedSize, Subscription, World } from "./types";

export const DEFAULT_ANCHOR = Date.UTC(2026, 0, 1);

export const SIZE_PROFILES: Record<SeedSize, { subscriptions: number; recommendations: number; assessments: number; people: number }> = {
  small: { subscriptions: 2, recommendations: 25, assessments: 300, people: 16 },
  demo: { subscriptions: 3, recommendations: 80, assessments: 2_500, people: 40 },
  large: { subscriptions: 20, recommendations: 300, assessments: 100_000, people: 250 },
  estate: { subscriptions: 2_500, recommendations: 25, assessments: 10_000, people: 16 },
};

const SUBSCRIPTION_NAMES = [
  "Contoso Production",
  "Contoso Development",
  "Contoso Shared Services",
  "Contoso Data Platform",
  "Contoso Test",
  "Contoso E-Commerce Prod",
  "Contoso E-Commerce Dev",
  "Contoso Connectivity",
  "Contoso Identity",
  "Contoso Analytics",
  "Contoso HR Systems",
  "Contoso Finance",
  "Contoso Manufacturing",
  "Contoso IoT",
  "Contoso Disaster Recovery",
  "Contoso Marketing",
  "Contoso Research",
  "Contoso Legacy",
  "Contoso Security Tooling",
  "Contoso Sandbox",
];
const APPS = [
  "payments",
  "checkout",
  "crm",
  "hr",
  "analytics",
  "web",
  "api",
  "identity",
  "billing",
  "inventory",
  "search",
  "reporting",
  "ml",
  "iot",
  "logistics",
  "portal",
];
const LOCATIONS: Array<readonly [string, number]> = [
  ["westeurope", 30],
  ["northeurope", 15],
  ["eastus", 20],
  ["eastus2", 10],
  ["westus2", 8],
  ["uksouth", 7],
  ["germanywestcentral", 5],
  ["swedencentral", 5],
];
const DAY = 24 * 3600 * 1000;

function envOf(subscriptionName: string, rng: Rng): string {
  if (/prod|production|shared|connectivity|identity|finance|hr/i.test(subscriptionName))
    return rng.weighted([
      ["prod", 8],
      ["staging", 2],
    ]);
  if (/dev|sandbox|research/i.test(subscriptionName))
    return rng.weighted([
      ["dev", 7],
      ["test", 3],
    ]);
  return rng.pick(["prod", "test", "dev", "staging"]);
}

/** `assessments` scales the `large` seed (e.g. 1,000,000 for the million-finding benchmark); other sizes ignore it. */
export type WorldOptions = { assessments?: number };

export function buildWorld(seed: number, size: SeedSize, anchor: number = DEFAULT_ANCHOR, options: WorldOptions = {}): World {
  const profile =
    size === "large" && options.assessments ? { ...SIZE_PROFILES.large, assessments: options.assessments } : SIZE_PROFILES[size];
  const root = createRng(`world/${seed}/${size}`);
  const domain = "contoso.example";
  // Identity ids do not depend on the seed: a reseed must not break a running app's Entra configuration.
  const tenantId = stableUuid("tenant", "contoso");

  const people = buildPeople(domain, profile.people, root.fork("people"));
  const groups = buildGroups(people);
  const recommendations = recommendationCatalog().slice(0, profile.recommendations);

  // Past the named ones (an estate of thousands), subscriptions are numbered.
  const names = Array.from(
    { length: profile.subscriptions },
    (_, i) => SUBSCRIPTION_NAMES[i] ?? `Contoso Estate ${String(i + 1).padStart(4, "0")}`,
  );
  const subscriptions: Subscription[] = names.map((displayName) => ({
    subscriptionId: stableUuid("subscription", seed, displayName),
    displayName,
    state: "Enabled",
  }));

  const byType = new Map<string, CatalogRecommendation[]>();
  for (const rec of recommendations) for (const type of rec.resourceTypes) byType.set(type, [...(byType.get(type) ?? []), rec]);
  // Only generate resource types that some recommendation of this size applies to.
  const typeWeights = RESOURCE_TYPE_WEIGHTS.filter(([type]) => byType.has(type));

  const resources: Resource[] = [];
  const assessments: Assessment[] = [];
  const rng = root.fork("resources");
  const statusRng = root.fork("status");
  const owners = people.filter((p) => p.appRole === null || p.appRole === "Analyst");
  const assess = (resource: Resource, recs: CatalogRecommendation[]) => {
    for (const rec of recs) {
      if (assessments.length >= profile.assessments) return;
      assessments.push(makeAssessment(resource, rec, statusRng, anchor));
    }
  };

  // Subscription-scoped recommendations (identity, Defender plans) are assessed once per subscription.
  const subscriptionRecs = byType.get(RT.subscription) ?? [];
  for (const sub of subscriptions) {
    const resource: Resource = {
      id: `/subscriptions/${sub.subscriptionId}`,
      subscriptionId: sub.subscriptionId,
      resourceGroup: "",
      type: RT.subscription,
      name: sub.subscriptionId,
      location: "global",
      tags: {},
      ciSysId: stableHex(32, "cmdb_ci", seed, sub.subscriptionId),
    };
    resources.push(resource);
    assess(resource, subscriptionRecs);
  }

  const resourceNames = new Set<string>();
  const sqlServers = new Map<string, Resource[]>();
  for (let i = 0; assessments.length < profile.assessments && typeWeights.length > 0; i++) {
    const sub = subscriptions[i % subscriptions.length]!;
    const type = rng.weighted(typeWeights);
    const resource = makeResource(seed, sub, type, rng, resourceNames, owners, sqlServers);
    if (type === RT.sqlDb && !resource.parent) continue;
    resources.push(...(resource.parent ? [resource.parent] : []), resource.resource);
    const applicable = byType.get(type) ?? [];
    // Defender evaluates most applicable recommendations on each resource; take a random majority.
    const count = Math.min(applicable.length, 15, rng.int(Math.ceil(applicable.length * 0.4), applicable.length));
    assess(resource.resource, rng.sample(applicable, count));
  }

  const world: World = {
    seed,
    size,
    tenantId,
    domain,
    anchor: new Date(anchor).toISOString(),
    people,
    groups,
    subscriptions,
    resources,
    recommendations,
    assessments,
  };
  remediateSettledRecommendations(world);
  // AWS and GCP resources behind security connectors: the demo only (test sizes keep their exact counts).
  if (size === "demo") addMulticloud(world, anchor);
  return world;
}

function makeResource(
  seed: number,
  sub: Subscription,
  type: ResourceTypeName,
  rng: Rng,
  names: Set<string>,
  owners: Person[],
  sqlServers: Map<string, Resource[]>,
): { resource: Resource; parent?: Resource } {
  const app = rng.pick(APPS);
  const env = envOf(sub.displayName, rng);
  const resourceGroup = `rg-${app}-${env}`;
  const location = rng.weighted(LOCATIONS);
  const tags: Record<string, string> = { env, costCenter: `CC-${1000 + APPS.indexOf(app) * 10}`, app };
  // Most resources carry an owner tag; the rest show up as "no owner" in governance views.
  if (rng.chance(0.9)) tags.owner = rng.pick(owners).email;

  const uniqueName = (t: ResourceTypeName) => {
    for (let n = 1; ; n++) {
      const name = NAME_PATTERNS[t].replace("{app}", app).replace("{env}", env).replace("{n}", String(n).padStart(2, "0"));
      const key = `${sub.subscriptionId}/${t}/${name}`;
      if (!names.has(key)) {
        names.add(key);
        return name;
      }
    }
  };
  const build = (t: ResourceTypeName, id: string, name: string): Resource => ({
    id,
    subscriptionId: sub.subscriptionId,
    resourceGroup,
    type: t,
    name,
    location,
    tags: { ...tags },
    ciSysId: stableHex(32, "cmdb_ci", seed, id),
  });
  const base = `/subscriptions/${sub.subscriptionId}/resourceGroups/${resourceGroup}/providers`;

  if (type === RT.sqlDb) {
    // A database lives in a server of the same subscription; make one when none exists yet.
    const servers = sqlServers.get(sub.subscriptionId) ?? [];
    let parent: Resource | undefined;
    let server = servers.length > 0 && rng.chance(0.7) ? rng.pick(servers) : undefined;
    if (!server) {
      const serverName = uniqueName(RT.sqlServer);
      server = build(RT.sqlServer, `${base}/${RT.sqlServer}/${serverName}`, serverName);
      sqlServers.set(sub.subscriptionId, [...servers, server]);
      parent = server;
    }
    const dbName = uniqueName(RT.sqlDb);
    const db: Resource = {
      ...build(RT.sqlDb, `${server.id}/databases/${dbName}`, dbName),
      resourceGroup: server.resourceGroup,
      location: server.location,
    };
    return { resource: db, parent };
  }
  const name = uniqueName(type);
  const resource = build(type, `${base}/${type}/${name}`, name);
  if (type === RT.sqlServer) sqlServers.set(sub.subscriptionId, [...(sqlServers.get(sub.subscriptionId) ?? []), resource]);
  return { resource };
}

function makeAssessment(resource: Resource, rec: CatalogRecommendation, rng: Rng, anchor: number): Assessment {
  const status = rng.weighted([
    ["Unhealthy", 70],
    ["Healthy", 25],
    ["NotApplicable", 5],
  ] as const);
  const first = anchor - rng.int(2, 400) * DAY - rng.int(0, DAY - 1);
  const changed = first + Math.floor(rng.next() * (anchor - first));
  const assessment: Assessment = {
    id: `${resource.id}/providers/Microsoft.Security/assessments/${rec.key}`,
    key: rec.key,
    resourceId: resource.id,
    subscriptionId: resource.subscriptionId,
    status,
    firstEvaluationDate: new Date(first).toISOString(),
    statusChangeDate: new Date(changed).toISOString(),
  };
  if (status === "NotApplicable") {
    const isExempt = rng.chance(0.4);
    assessment.cause = isExempt ? "Exempt" : "OffByPolicy";
    assessment.description = isExempt
      ? "This resource is exempt from the assessment (waiver approved by the security team)."
      : "The effective policy for the assessment was evaluated to off - use Microsoft.Authorization/policyAssignments to turn this assessment on";
  }
  return assessment;
}
