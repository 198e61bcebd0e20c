// Vulnerability sub-findings (Defender subAssessments) end to end: ingested through Resource Graph (full
// and incremental) and through ARM, compared with the ARM emulator's subAssessments REST listing read
// through the real SDK; scans over the emulated clock add and remove CVEs; deletions; the API's CVE
// filter, finding detail and recommendation vulnerabilities, with bad input.
import { beforeAll, describe, expect, test } from "vitest";
import { azureClientFor, WITH_TENANT_SECRET } from "@/lib/azure-tenants/client";
import { db } from "@/lib/db";
import { type TPage } from "@/lib/schemas/common";
import { type TFindingDto } from "@/lib/schemas/findings";
import { type TRecommendationVulnerabilities, type TSubAssessmentSummary } from "@/lib/schemas/sub-assessments";
import { loadFindings } from "@/lib/tickets/findings";
import { descriptionOf } from "@/lib/tickets/draft-text";
import { call, signedInUser, TEST_APP_URL } from "@/test/app";
import { integrationSuite } from "@/test/integration";
import * as findingRoute from "@/app/api/findings/[id]/route";
import * as findingsRoute from "@/app/api/findings/route";
import * as vulnerabilitiesRoute from "@/app/api/recommendations/[key]/vulnerabilities/route";
import { ingestDefender } from "@/lib/ingestion/ingest";
import { runIngestJob } from "@/lib/ingestion/job";
import { FAST_AZURE, newRun, registerEmulatorTenant } from "@/lib/ingestion/testing/fixtures";

const suite = integrationSuite({ emulators: "private" });
let tenantId: string;
let manager: string;

beforeAll(async () => {
  tenantId = (await registerEmulatorTenant(suite.emu.manifest)).id;
  manager = (await signedInUser("MANAGER")).cookie;
});

/** The emulator's sub-assessments now, through ARM's REST listing (the SDK), as lowercased id → vulnerability id. */
async function armSubAssessments(): Promise<Map<string, string>> {
  const tenant = await db().azureTenant.findUniqueOrThrow({ where: { id: tenantId }, omit: WITH_TENANT_SECRET });
  const client = await azureClientFor(tenant, FAST_AZURE);
  const out = new Map<string, string>();
  for (const subscriptionId of suite.emu.manifest.arm.subscriptionIds) {
    for await (const s of client.security(subscriptionId).subAssessments.listAll(`subscriptions/${subscriptionId}`)) {
      out.set(s.id!.toLowerCase(), (s as { idPropertiesId?: string }).idPropertiesId ?? "");
    }
  }
  return out;
}

async function stored(): Promise<Map<string, string>> {
  const rows = await db().subAssessment.findMany({ select: { armId: true, vulnerabilityId: true } });
  return new Map(rows.map((r) => [r.armId, r.vulnerabilityId]));
}

async function ingest(mode: "full" | "incremental", strategy?: "arm" | "resource-graph") {
  const runId = await newRun(tenantId);
  if (strategy) {
    const result = await ingestDefender(tenantId, { mode, runId, strategy, azure: FAST_AZURE });
    return { status: result.status, counts: result.counts as Record<string, Record<string, number> | unknown>, runId };
  }
  await runIngestJob({ runId, mode });
  const run = await db().syncRun.findUniqueOrThrow({ where: { id: runId } });
  return { status: run.status, counts: (run.counts as { defender: Record<string, unknown> }).defender, runId, error: run.error };
}

const subCounts = (counts: Record<string, unknown>) => counts.subAssessments as Record<string, number | string>;
const DAY_SECONDS = 24 * 3600;

describe("sub-assessment ingestion", () => {
  test("a full ingestion through Resource Graph stores exactly what ARM's subAssessments API lists, of the three kinds, with CVEs and CVSS", async () => {
    const run = await ingest("full");
    expect(run.status, String(run.error)).toBe("succeeded");
    const expected = await armSubAssessments();
    expect(expected.size).toBeGreaterThan(20);
    expect(await stored()).toEqual(expected);
    expect(subCounts(run.counts as Record<string, unknown>)).toMatchObject({
      source: "resource-graph",
      inserted: expected.size,
      kept: expected.size,
    });

    const kinds = await db().subAssessment.groupBy({ by: ["kind"], _count: true });
    expect(kinds.map((k) => k.kind).sort()).toEqual(["container", "server", "sql"]);

    const server = await db().subAssessment.findFirstOrThrow({ where: { kind: "server", vulnerabilityId: "CVE-2024-3094" } });
    expect(server).toMatchObject({
      displayName: "XZ Utils backdoor in liblzma",
      severity: "High",
      status: "Unhealthy",
      cves: ["CVE-2024-3094"],
      cvssScore: 10,
      cvssVersion: "3.0",
      patchable: true,
    });
    expect(server.publishedAt?.toISOString()).toBe("2023-10-01T00:00:00.000Z");
    expect(server.remediation).toContain("xz-utils");
    expect(server.details).toMatchObject({
      kind: "server",
      cveLinks: [{ id: "CVE-2024-3094", link: "https://nvd.nist.gov/vuln/detail/CVE-2024-3094" }],
    });

    const container = await db().subAssessment.findFirstOrThrow({ where: { kind: "container" } });
    expect(container.details).toMatchObject({
      kind: "container",
      repositoryName: expect.any(String),
      imageDigest: expect.stringMatching(/^sha256:/),
    });
    const sql = await db().subAssessment.findFirstOrThrow({ where: { kind: "sql" } });
    expect(sql.vulnerabilityId).toMatch(/^VA\d+$/);
    expect(sql.cves).toEqual([]);
    expect(sql.details).toMatchObject({ kind: "sql", checkType: "AzureDatabase", query: expect.stringContaining("SELECT") });

    // Each belongs to its finding, which is an unhealthy finding of a vulnerability recommendation.
    const parents = await db().$queryRaw<Array<{ name: string; status: string }>>`
      SELECT DISTINCT r."displayName" AS name, f."status"::text AS status FROM "SubAssessment" s JOIN "Finding" f ON f.id = s."findingId" JOIN "Recommendation" r ON r.key = f."recommendationKey"`;
    expect(new Set(parents.map((p) => p.status))).toEqual(new Set(["Unhealthy"]));
    expect(parents.every((p) => p.name.endsWith("should have vulnerability findings resolved"))).toBe(true);
  });

  test("a second full pass with nothing changed writes nothing", async () => {
    const before = await stored();
    const run = await ingest("full");
    expect(run.status).toBe("succeeded");
    expect(subCounts(run.counts as Record<string, unknown>)).toMatchObject({ inserted: 0, updated: 0 });
    expect(await stored()).toEqual(before);
  });

  test("a new scan (emulated day): the incremental pass asks only for what changed and adds the new CVEs; the next full pass deletes the vanished ones", async () => {
    const before = await stored();
    await suite.emu.control("arm", "POST", "/_emulator/clock", { advanceSeconds: DAY_SECONDS });
    const now = await armSubAssessments();
    const added = [...now.keys()].filter((id) => !before.has(id));
    const vanished = [...before.keys()].filter((id) => !now.has(id));
    // The emulator's scans change a quarter of the vulnerability findings; the small seed has enough for both.
    expect(added.length + vanished.length).toBeGreaterThan(0);

    const incremental = await ingest("incremental");
    expect(incremental.status, String(incremental.error)).toBe("succeeded");
    const counts = subCounts(incremental.counts as Record<string, unknown>);
    // Filtered by Resource Graph: fewer rows than the whole set, at least the new ones.
    expect(Number(counts.received)).toBeLessThan(now.size);
    expect(Number(counts.inserted)).toBe(added.length);
    const afterIncremental = await stored();
    for (const id of added) expect(afterIncremental.has(id)).toBe(true);
    // Resource Graph lists what exists: an incremental pass cannot see what vanished, so it keeps it.
    for (const id of vanished) expect(afterIncremental.has(id)).toBe(true);

    const full = await ingest("full");
    expect(full.status).toBe("succeeded");
    expect(Number(subCounts(full.counts as Record<string, unknown>).deleted)).toBe(vanished.length);
    expect(await stored()).toEqual(now);
  });

  test("a finding that turns healthy loses its sub-assessments in the incremental pass that sees it", async () => {
    const withSubs = await db().finding.findFirstOrThrow({
      where: { subAssessments: { some: {} } },
      include: { _count: { select: { subAssessments: true } } },
    });
    expect(withSubs._count.subAssessments).toBeGreaterThan(0);
    await suite.emu.control("arm", "POST", "/_emulator/assessments/status", { ids: [withSubs.armId], status: "Healthy" });
    const run = await ingest("incremental");
    expect(run.status).toBe("succeeded");
    expect(await db().subAssessment.count({ where: { findingId: withSubs.id } })).toBe(0);
    expect(Number(subCounts(run.counts as Record<string, unknown>).deleted)).toBeGreaterThanOrEqual(withSubs._count.subAssessments);
    expect(await stored()).toEqual(await armSubAssessments());
  });

  test("the ARM strategy (subAssessments REST per subscription) stores the same set", async () => {
    await db().subAssessment.deleteMany({});
    const run = await ingest("full", "arm");
    expect(run.status).toBe("succeeded");
    expect(await stored()).toEqual(await armSubAssessments());
  });
});

describe("the API", () => {
  async function findings(query: Record<string, string>, cookie = manager) {
    const res = await call(findingsRoute.GET, "GET", "/api/findings", { query, cookie });
    return { status: res.status, body: (await res.json()) as TPage<TFindingDto> & { detail?: string; errors?: { path: string }[] } };
  }

  test("GET /api/findings?cve= lists exactly the findings with a sub-assessment of that CVE (any case)", async () => {
    const rows = await db().$queryRaw<Array<{ cve: string; ids: string[] }>>`
      SELECT cve, array_agg(DISTINCT s."findingId"::text) AS ids FROM "SubAssessment" s CROSS JOIN LATERAL unnest(s.cves) cve GROUP BY cve ORDER BY count(*) DESC LIMIT 1`;
    const { cve, ids } = rows[0]!;
    const { status, body } = await findings({ cve: cve.toLowerCase(), pageSize: "500" });
    expect(status).toBe(200);
    expect(body.total).toBe(ids.length);
    expect(body.items.map((f) => f.id).sort()).toEqual([...ids].sort());
    // Combined with the other filters.
    const none = await findings({ cve, status: "Healthy" });
    expect(none.body.total).toBe(0);
    // A CVE nobody has: empty, not an error.
    expect((await findings({ cve: "CVE-1999-0001" })).body.total).toBe(0);
  });

  test("a malformed CVE is refused, naming the parameter", async () => {
    for (const bad of ["CVE-24-1", "2024-3094", "CVE-2024-3094'; DROP TABLE x", ""]) {
      const { status, body } = await findings({ cve: bad });
      expect(status, bad).toBe(422);
      expect(body.detail).toContain("query.cve");
    }
  });

  test("GET /api/findings/{id} includes subAssessments: total, counts by severity, worst first, capped by subLimit", async () => {
    const finding = await db().finding.findFirstOrThrow({
      where: { subAssessments: { some: {} } },
      orderBy: { subAssessments: { _count: "desc" } },
    });
    const expected = await db().subAssessment.findMany({ where: { findingId: finding.id } });
    const res = await call(findingRoute.GET, "GET", `/api/findings/${finding.id}`, { params: { id: finding.id }, cookie: manager });
    expect(res.status).toBe(200);
    const body = (await res.json()) as TFindingDto & { subAssessments: TSubAssessmentSummary };
    expect(body.id).toBe(finding.id);
    expect(body.subAssessments.total).toBe(expected.length);
    expect(body.subAssessments.bySeverity).toEqual({
      High: expected.filter((s) => s.severity === "High").length,
      Medium: expected.filter((s) => s.severity === "Medium").length,
      Low: expected.filter((s) => s.severity === "Low").length,
    });
    expect(body.subAssessments.items.map((i) => i.id).sort()).toEqual(expected.map((s) => s.armId).sort());
    const rank = { High: 0, Medium: 1, Low: 2 };
    const ranks = body.subAssessments.items.map((i) => rank[i.severity]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    const cveItem = body.subAssessments.items.find((i) => i.cves.length > 0);
    if (cveItem) expect(cveItem.cves[0]!.link).toBe(`https://nvd.nist.gov/vuln/detail/${cveItem.cves[0]!.id}`);

    const capped = await call(findingRoute.GET, "GET", `/api/findings/${finding.id}`, {
      params: { id: finding.id },
      query: { subLimit: "1" },
      cookie: manager,
    });
    const cappedBody = (await capped.json()) as { subAssessments: TSubAssessmentSummary };
    expect(cappedBody.subAssessments.items).toHaveLength(1);
    expect(cappedBody.subAssessments.total).toBe(expected.length);
  });

  test("GET /api/findings/{id}: unknown id 404, malformed id and subLimit 422, no role 403, signed out 401", async () => {
    const finding = await db().finding.findFirstOrThrow();
    const missing = "00000000-0000-4000-8000-000000000000";
    expect((await call(findingRoute.GET, "GET", `/api/findings/${missing}`, { params: { id: missing }, cookie: manager })).status).toBe(
      404,
    );
    expect((await call(findingRoute.GET, "GET", "/api/findings/nope", { params: { id: "nope" }, cookie: manager })).status).toBe(422);
    expect(
      (
        await call(findingRoute.GET, "GET", `/api/findings/${finding.id}`, {
          params: { id: finding.id },
          query: { subLimit: "-1" },
          cookie: manager,
        })
      ).status,
    ).toBe(422);
    const norole = (await signedInUser(null)).cookie;
    expect(
      (await call(findingRoute.GET, "GET", `/api/findings/${finding.id}`, { params: { id: finding.id }, cookie: norole })).status,
    ).toBe(403);
    expect((await call(findingRoute.GET, "GET", `/api/findings/${finding.id}`, { params: { id: finding.id } })).status).toBe(401);
  });

  test("GET /api/recommendations/{key}/vulnerabilities: one row per vulnerability with the findings that have it, filterable", async () => {
    const machines = await db().recommendation.findFirstOrThrow({
      where: { displayName: "Machines should have vulnerability findings resolved" },
    });
    const res = await call(vulnerabilitiesRoute.GET, "GET", `/api/recommendations/${machines.key}/vulnerabilities`, {
      params: { key: machines.key },
      cookie: manager,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as TRecommendationVulnerabilities;
    const expected = await db().subAssessment.findMany({ where: { finding: { recommendationKey: machines.key, removedAt: null } } });
    expect(body.total).toBe(expected.length);
    expect(body.distinct).toBe(new Set(expected.map((s) => s.vulnerabilityId)).size);
    expect(body.items.reduce((n, i) => n + i.findings, 0)).toBe(expected.length);
    const first = body.items[0]!;
    expect(first.severity).toBe("High");
    expect(first.cves[0]!.link).toMatch(/^https:\/\/nvd\.nist\.gov\/vuln\/detail\/CVE-/);

    const filtered = await call(vulnerabilitiesRoute.GET, "GET", `/api/recommendations/${machines.key}/vulnerabilities`, {
      params: { key: machines.key },
      query: { q: first.cves[0]!.id.toLowerCase() },
      cookie: manager,
    });
    const filteredBody = (await filtered.json()) as TRecommendationVulnerabilities;
    expect(filteredBody.items.map((i) => i.vulnerabilityId)).toEqual([first.vulnerabilityId]);
    const bad = await call(vulnerabilitiesRoute.GET, "GET", `/api/recommendations/${machines.key}/vulnerabilities`, {
      params: { key: machines.key },
      query: { severity: "Critical" },
      cookie: manager,
    });
    expect(bad.status).toBe(422);
  });
});

describe("ticket texts", () => {
  test("the findings a ticket covers carry their vulnerabilities; the description lists the worst with NIST links and links to the rest", async () => {
    const finding = await db().finding.findFirstOrThrow({
      where: { subAssessments: { some: { kind: "server" } } },
      orderBy: { subAssessments: { _count: "desc" } },
    });
    const subs = await db().subAssessment.findMany({ where: { findingId: finding.id } });
    const plain = await db().finding.findFirstOrThrow({ where: { status: "Unhealthy", subAssessments: { none: {} } } });
    const [loaded, without] = await loadFindings([finding.id, plain.id]);
    expect(loaded!.vulnerabilities).toMatchObject({
      total: subs.length,
      url: `${TEST_APP_URL.replace(/\/+$/, "")}/findings/${finding.id}`,
    });
    expect(without!.vulnerabilities).toBeNull();

    const text = descriptionOf([loaded!], new Date("2027-01-01T00:00:00Z"));
    const high = subs.filter((s) => s.severity === "High").length;
    expect(text).toContain(`Vulnerabilities: ${subs.length}`);
    if (high > 0) expect(text).toContain(`${high} High`);
    const worst = [...subs].sort(
      (a, b) =>
        ({ High: 0, Medium: 1, Low: 2 })[a.severity] - { High: 0, Medium: 1, Low: 2 }[b.severity] ||
        (b.cvssScore ?? -1) - (a.cvssScore ?? -1),
    )[0]!;
    if (worst.cves[0]) expect(text).toContain(`https://nvd.nist.gov/vuln/detail/${worst.cves[0]}`);
    expect(text).toContain(`/findings/${finding.id}`);
    expect(descriptionOf([without!], new Date("2027-01-01T00:00:00Z"))).not.toContain("Vulnerabilities:");
  });
});
