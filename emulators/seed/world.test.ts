import { describe, expect, test } from "vitest";
import { buildWorld, SIZE_PROFILES } from "./world";

describe("buildWorld", () => {
  test("is deterministic: the same seed, size and anchor give the same world; another seed another", () => {
    expect(JSON.stringify(buildWorld(7, "small"))).toBe(JSON.stringify(buildWorld(7, "small")));
    expect(buildWorld(8, "small").assessments.map((a) => a.id)).not.toEqual(buildWorld(7, "small").assessments.map((a) => a.id));
  });

  test.each(["small", "demo"] as const)("%s has the profile's counts, consistent references and realistic statuses", (size) => {
    const w = buildWorld(42, size);
    const profile = SIZE_PROFILES[size];
    expect(w.subscriptions).toHaveLength(profile.subscriptions);
    // The demo adds AWS and GCP resources behind security connectors (emulators/seed/multicloud.ts) on top of the profile.
    const isCloud = (a: { resourceId: string }) => a.resourceId.toLowerCase().includes("/securityentitydata/");
    expect(w.recommendations.filter((r) => !r.resourceTypes.some((t) => /^(aws|gcp)\./.test(t)))).toHaveLength(profile.recommendations);
    expect(w.assessments.filter((a) => !isCloud(a))).toHaveLength(profile.assessments);
    expect(w.assessments.some(isCloud)).toBe(size === "demo");
    const resources = new Set(w.resources.map((r) => r.id));
    const keys = new Set(w.recommendations.map((r) => r.key));
    expect(new Set(w.assessments.map((a) => a.id)).size).toBe(w.assessments.length);
    expect(
      w.assessments.every(
        (a) =>
          resources.has(a.resourceId) && keys.has(a.key) && a.id.startsWith(`${a.resourceId}/providers/Microsoft.Security/assessments/`),
      ),
    ).toBe(true);
    const share = (s: string) => w.assessments.filter((a) => a.status === s).length / w.assessments.length;
    // About half unhealthy: generated at 70 %, then remediated recommendations (emulators/seed/remediation.ts) turn healthy.
    expect(share("Unhealthy")).toBeGreaterThan(0.4);
    expect(share("Healthy")).toBeGreaterThan(0.15);
    expect(share("NotApplicable")).toBeGreaterThan(0.01);
    expect(w.assessments.every((a) => a.firstEvaluationDate <= a.statusChangeDate)).toBe(true);
  });

  test("has the demo personas, owner tags naming seeded people, and SQL databases inside seeded servers", () => {
    const w = buildWorld(42, "demo");
    expect(w.people.filter((p) => p.appRole).map((p) => [p.email, p.appRole])).toEqual([
      ["ada.admin@contoso.example", "Admin"],
      ["ari.analyst@contoso.example", "Analyst"],
      ["mona.manager@contoso.example", "Manager"],
    ]);
    expect(w.people.some((p) => p.email === "nora.norole@contoso.example" && p.appRole === null)).toBe(true);
    const emails = new Set(w.people.map((p) => p.email));
    expect(w.resources.filter((r) => r.tags.owner).every((r) => emails.has(r.tags.owner!))).toBe(true);
    const ids = new Set(w.resources.map((r) => r.id));
    const dbs = w.resources.filter((r) => r.type === "Microsoft.Sql/servers/databases");
    expect(dbs.length).toBeGreaterThan(0);
    expect(dbs.every((d) => ids.has(d.id.replace(/\/databases\/[^/]+$/, "")))).toBe(true);
  });

  test("keeps identity ids stable across seeds (a reseed must not break a running app's sign-in)", () => {
    const a = buildWorld(1, "small");
    const b = buildWorld(2, "small");
    expect(a.tenantId).toBe(b.tenantId);
    expect(a.people.slice(0, 4).map((p) => p.oid)).toEqual(b.people.slice(0, 4).map((p) => p.oid));
  });

  // Its build time is measured by bench/ingest-emulators.ts, not asserted here (no timing in tests).
  test("large builds 100,000 assessments over 20 subscriptions and 300 recommendation types", () => {
    const w = buildWorld(42, "large");
    expect(w.assessments).toHaveLength(100_000);
    expect(w.subscriptions).toHaveLength(20);
    expect(new Set(w.assessments.map((a) => a.key)).size).toBe(300);
  });
});
