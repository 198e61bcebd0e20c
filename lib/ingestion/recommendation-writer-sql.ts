import "server-only";
import type pg from "pg";
import { bulkUpsert } from "@/lib/db/bulk";
import { type NormalizedAssessment, type NormalizedRecommendation } from "./normalize";

// The SQL of recommendation-writer.ts (raw SQL lives in *-sql.ts modules or lib/db/: docs/ARCHITECTURE.md, "Boundaries").

export type Known = { severity: string; isPlaceholder: boolean; hash: string };

export type RecommendationWriter = {
  /** Upserts metadata that is new or changed; returns how many rows were written. */
  upsert(recs: NormalizedRecommendation[]): Promise<number>;
  /** Keys referenced by these assessments that have no recommendation yet. */
  missing(rows: NormalizedAssessment[]): string[];
  /** Placeholders for keys whose metadata could not be found. */
  placeholders(rows: NormalizedAssessment[]): Promise<string[]>;
  has(key: string): boolean;
  /** Keys whose severity changed during this run. */
  severityChanged(): string[];
};

export const hashOf = (r: NormalizedRecommendation) =>
  JSON.stringify([
    r.displayName,
    r.severity,
    r.description,
    r.remediation,
    r.categories,
    r.threats,
    r.userImpact,
    r.implementationEffort,
    r.policyDefinitionId,
    r.assessmentType,
    r.isPreview,
  ]);

export async function createRecommendationWriter(client: pg.PoolClient): Promise<RecommendationWriter> {
  const rows = await client.query<{ key: string; severity: string; isPlaceholder: boolean }>(
    `SELECT "key", "severity", "isPlaceholder" FROM "Recommendation"`,
  );
  const known = new Map<string, Known>(rows.rows.map((r) => [r.key, { severity: r.severity, isPlaceholder: r.isPlaceholder, hash: "" }]));
  const severityChanged = new Set<string>();

  return {
    has: (key) => known.has(key),
    missing: (assessments) => [...new Set(assessments.map((a) => a.key).filter((k) => !known.has(k)))],
    severityChanged: () => [...severityChanged],

    async upsert(recs) {
      const fresh = [...new Map(recs.map((r) => [r.key, r])).values()].filter((r) => {
        const k = known.get(r.key);
        return !k || k.isPlaceholder || k.hash !== hashOf(r);
      });
      if (fresh.length === 0) return 0;
      const result = await bulkUpsert(client, fresh, {
        table: "Recommendation",
        conflict: ["key"],
        onlyIfChanged: true,
        set: { updatedAt: "now()" },
        columns: {
          key: { type: "text", value: (r) => r.key },
          displayName: { type: "text", value: (r) => r.displayName },
          severity: { type: { enum: "Severity" }, value: (r) => r.severity },
          description: { type: "text", value: (r) => r.description },
          remediation: { type: "text", value: (r) => r.remediation },
          categories: { type: "text[]", value: (r) => r.categories },
          threats: { type: "text[]", value: (r) => r.threats },
          userImpact: { type: "text", value: (r) => r.userImpact },
          implementationEffort: { type: "text", value: (r) => r.implementationEffort },
          policyDefinitionId: { type: "text", value: (r) => r.policyDefinitionId },
          assessmentType: { type: "text", value: (r) => r.assessmentType },
          isPreview: { type: "bool", value: (r) => r.isPreview },
          isPlaceholder: { type: "bool", value: () => false },
        },
      });
      for (const r of fresh) {
        const before = known.get(r.key);
        if (before && before.severity !== r.severity) severityChanged.add(r.key);
        known.set(r.key, { severity: r.severity, isPlaceholder: false, hash: hashOf(r) });
      }
      return result.inserted + result.updated;
    },

    async placeholders(assessments) {
      const byKey = new Map<string, NormalizedAssessment>();
      for (const a of assessments) if (!known.has(a.key) && !byKey.has(a.key)) byKey.set(a.key, a);
      if (byKey.size === 0) return [];
      await bulkUpsert(client, [...byKey.values()], {
        table: "Recommendation",
        conflict: ["key"],
        onConflict: "nothing",
        columns: {
          key: { type: "text", value: (a) => a.key },
          displayName: { type: "text", value: (a) => a.displayName ?? a.key },
          severity: { type: { enum: "Severity" }, value: () => "Medium" },
          categories: { type: "text[]", value: () => [] },
          threats: { type: "text[]", value: () => [] },
          isPlaceholder: { type: "bool", value: () => true },
        },
      });
      for (const key of byKey.keys()) known.set(key, { severity: "Medium", isPlaceholder: true, hash: "" });
      return [...byKey.keys()];
    },
  };
}
