import "server-only";
import type pg from "pg";
import {
  type AzureComplianceAssessment,
  type AzureComplianceControl,
  type AzureComplianceStandard,
  type AzureSecureScore,
  type AzureSecureScoreControl,
} from "@/lib/azure/schemas";
import { bulkUpsert } from "@/lib/db/bulk";
import { recommendationKeyOfCompliance } from "./normalize";
import { type RunLog } from "./run-log";

// The SQL of posture.ts (raw SQL lives in *-sql.ts modules or lib/db/: docs/ARCHITECTURE.md, "Boundaries").

/**
 * Upserts the secure scores and controls of some subscriptions (rows carry their subscription) and drops
 * what Azure no longer lists for them: a few statements per batch, whatever the number of subscriptions.
 */
export async function writeScores(
  db: pg.Pool,
  log: RunLog,
  subscriptionIds: string[],
  scores: AzureSecureScore[],
  controls: AzureSecureScoreControl[],
): Promise<void> {
  await bulkUpsert(db, scores, {
    table: "SecureScore",
    conflict: ["subscriptionId", "name"],
    onlyIfChanged: true,
    set: { updatedAt: "now()" },
    columns: {
      subscriptionId: { type: "text", value: (s) => s.subscriptionId },
      name: { type: "text", value: (s) => s.name },
      displayName: { type: "text", value: (s) => s.displayName },
      current: { type: "float8", value: (s) => s.current },
      max: { type: "float8", value: (s) => s.max },
      percentage: { type: "float8", value: (s) => s.percentage },
      weight: { type: "float8", value: (s) => s.weight },
    },
  });
  await bulkUpsert(db, controls, {
    table: "SecureScoreControl",
    conflict: ["subscriptionId", "controlName"],
    onlyIfChanged: true,
    set: { updatedAt: "now()" },
    columns: {
      subscriptionId: { type: "text", value: (c) => c.subscriptionId },
      controlName: { type: "text", value: (c) => c.key },
      displayName: { type: "text", value: (c) => c.displayName },
      current: { type: "float8", value: (c) => c.current },
      max: { type: "float8", value: (c) => c.max },
      percentage: { type: "float8", value: (c) => c.percentage },
      healthy: { type: "int4", value: (c) => c.healthy },
      unhealthy: { type: "int4", value: (c) => c.unhealthy },
      notApplicable: { type: "int4", value: (c) => c.notApplicable },
      weight: { type: "float8", value: (c) => c.weight },
      assessmentKeys: { type: "text[]", value: (c) => c.assessmentKeys },
    },
  });
  await db.query(
    `DELETE FROM "SecureScore" t WHERE t."subscriptionId" = ANY($1::text[])
         AND NOT EXISTS (SELECT 1 FROM unnest($2::text[], $3::text[]) AS k(sub, name) WHERE k.sub = t."subscriptionId" AND k.name = t."name")`,
    [subscriptionIds, scores.map((x) => x.subscriptionId), scores.map((x) => x.name)],
  );
  await db.query(
    `DELETE FROM "SecureScoreControl" t WHERE t."subscriptionId" = ANY($1::text[])
         AND NOT EXISTS (SELECT 1 FROM unnest($2::text[], $3::text[]) AS k(sub, name) WHERE k.sub = t."subscriptionId" AND k.name = t."controlName")`,
    [subscriptionIds, controls.map((x) => x.subscriptionId), controls.map((x) => x.key)],
  );
  log.count("secureScores", scores.length);
}

export type Standard = AzureComplianceStandard;

export type Control = AzureComplianceControl & { standardName: string };

export type Assessment = AzureComplianceAssessment & { standardName: string; controlName: string };

export type WithSubscription<T> = T & { subscriptionId: string };

/** Upserts the compliance of some subscriptions (rows carry their subscription) and drops what Azure no longer lists for them. */
export async function writeCompliance(
  db: pg.Pool,
  log: RunLog,
  subscriptionIds: string[],
  standards: WithSubscription<Standard>[],
  controls: WithSubscription<Control>[],
  assessments: WithSubscription<Assessment>[],
): Promise<void> {
  const sub = { type: "text" as const, value: (r: { subscriptionId: string }) => r.subscriptionId };
  await bulkUpsert(db, standards, {
    table: "RegulatoryStandard",
    conflict: ["subscriptionId", "name"],
    onlyIfChanged: true,
    set: { updatedAt: "now()" },
    columns: {
      subscriptionId: sub,
      name: { type: "text", value: (s) => s.name },
      state: { type: "text", value: (s) => s.state },
      passedControls: { type: "int4", value: (s) => s.passedControls },
      failedControls: { type: "int4", value: (s) => s.failedControls },
      skippedControls: { type: "int4", value: (s) => s.skippedControls },
      unsupportedControls: { type: "int4", value: (s) => s.unsupportedControls },
    },
  });
  await bulkUpsert(db, controls, {
    table: "RegulatoryControl",
    conflict: ["subscriptionId", "standardName", "name"],
    onlyIfChanged: true,
    set: { updatedAt: "now()" },
    columns: {
      subscriptionId: sub,
      standardName: { type: "text", value: (c) => c.standardName },
      name: { type: "text", value: (c) => c.name },
      description: { type: "text", value: (c) => c.description ?? "" },
      state: { type: "text", value: (c) => c.state },
      passedAssessments: { type: "int4", value: (c) => c.passedAssessments },
      failedAssessments: { type: "int4", value: (c) => c.failedAssessments },
      skippedAssessments: { type: "int4", value: (c) => c.skippedAssessments },
    },
  });
  await bulkUpsert(db, assessments, {
    table: "RegulatoryAssessment",
    conflict: ["subscriptionId", "standardName", "controlName", "name"],
    onlyIfChanged: true,
    set: { updatedAt: "now()" },
    columns: {
      subscriptionId: sub,
      standardName: { type: "text", value: (a) => a.standardName },
      controlName: { type: "text", value: (a) => a.controlName },
      name: { type: "text", value: (a) => a.name },
      description: { type: "text", value: (a) => a.description ?? "" },
      assessmentType: { type: "text", value: (a) => (typeof a.assessmentType === "string" ? a.assessmentType : null) },
      recommendationKey: { type: "text", value: (a) => recommendationKeyOfCompliance(a.name, a.assessmentDetailsLink) },
      state: { type: "text", value: (a) => a.state },
      passedResources: { type: "int4", value: (a) => a.passedResources },
      failedResources: { type: "int4", value: (a) => a.failedResources },
      skippedResources: { type: "int4", value: (a) => a.skippedResources },
      unsupportedResources: { type: "int4", value: (a) => (typeof a.unsupportedResources === "number" ? a.unsupportedResources : 0) },
    },
  });
  await db.query(
    `DELETE FROM "RegulatoryStandard" r WHERE r."subscriptionId" = ANY($1::text[])
         AND NOT EXISTS (SELECT 1 FROM unnest($2::text[], $3::text[]) AS s(sub, n) WHERE s.sub = r."subscriptionId" AND s.n = r."name")`,
    [subscriptionIds, standards.map((s) => s.subscriptionId), standards.map((s) => s.name)],
  );
  await db.query(
    `DELETE FROM "RegulatoryControl" r WHERE r."subscriptionId" = ANY($1::text[])
         AND NOT EXISTS (SELECT 1 FROM unnest($2::text[], $3::text[], $4::text[]) AS s(sub, st, n) WHERE s.sub = r."subscriptionId" AND s.st = r."standardName" AND s.n = r."name")`,
    [subscriptionIds, controls.map((c) => c.subscriptionId), controls.map((c) => c.standardName), controls.map((c) => c.name)],
  );
  await db.query(
    `DELETE FROM "RegulatoryAssessment" r WHERE r."subscriptionId" = ANY($1::text[])
         AND NOT EXISTS (SELECT 1 FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS s(sub, st, c, n) WHERE s.sub = r."subscriptionId" AND s.st = r."standardName" AND s.c = r."controlName" AND s.n = r."name")`,
    [
      subscriptionIds,
      assessments.map((a) => a.subscriptionId),
      assessments.map((a) => a.standardName),
      assessments.map((a) => a.controlName),
      assessments.map((a) => a.name),
    ],
  );
  log.count("compliance.standards", standards.length);
  log.count("compliance.controls", controls.length);
  log.count("compliance.assessments", assessments.length);
}
