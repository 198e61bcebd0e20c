// Mutable ARM state, rebuilt from the seeded world on reset: assessments (status flips, additions and
// removals), governance assignments and rules written by clients, rule executions, throttling config,
// and resource tags changed through the control API (the seeded world itself is never mutated).
import { z } from "zod";
import type { Assessment, World } from "../seed/types";

export type GovernanceAssignment = {
  /** Full ARM id (original casing). */
  id: string;
  resourceId: string;
  assessmentName: string;
  key: string;
  properties: Record<string, unknown>;
};

export type GovernanceRule = { id: string; scope: string; name: string; properties: Record<string, unknown> };

export type ArmConfig = {
  /** Items per page of Microsoft.Security listings. */
  pageSize: number;
  /** Per-subscription read budget per window; null = never throttle. */
  readBudget: { limit: number; windowSeconds: number } | null;
  /**
   * Resource Graph quota per principal and window (Microsoft's documented example: 15 queries per 5 s);
   * null = unlimited (the quota headers are still sent, counting down from 15).
   */
  resourceGraphQuota: { limit: number; windowSeconds: number } | null;
};

export const ZArmConfigPatch = z
  .object({
    pageSize: z.number().int().min(1).max(5000).optional(),
    readBudget: z
      .object({ limit: z.number().int().min(1), windowSeconds: z.number().int().min(1).max(86400) })
      .strict()
      .nullable()
      .optional(),
    resourceGraphQuota: z
      .object({ limit: z.number().int().min(1).max(10_000), windowSeconds: z.number().int().min(1).max(3600) })
      .strict()
      .nullable()
      .optional(),
  })
  .strict();

export type ArmState = {
  /** Listing order per subscription (stable across status flips). */
  bySubscription: Map<string, Assessment[]>;
  /** Lowercased assessment id → assessment. */
  byId: Map<string, Assessment>;
  assignments: Map<string, GovernanceAssignment>;
  rules: Map<string, GovernanceRule>;
  operations: Map<string, { status: "Succeeded" | "Failed"; ruleId: string }>;
  config: ArmConfig;
  /** Lowercased resource id → its tags now, for resources whose tags the control API replaced. */
  resourceTags: Map<string, Record<string, string>>;
  /** subscriptionId (or "tenant") → reads in the current window. */
  reads: Map<string, { windowStart: number; count: number }>;
  /** Principal (object id) → Resource Graph queries in the current quota window. */
  graphQuota: Map<string, { windowStart: number; count: number }>;
  /** The last Resource Graph requests (for tests and measurements): scope size, answer, quota left. */
  graphLog: Array<{ at: string; subscriptions: number | null; top: number | null; status: number; quotaRemaining: number }>;
  /** Bumped on every change; caches (secure scores) key on it. */
  version: number;
};

// 100 per page: every seed size yields multi-page listings, so clients always exercise paging.
export const DEFAULT_CONFIG: ArmConfig = { pageSize: 100, readBudget: null, resourceGraphQuota: { limit: 15, windowSeconds: 5 } };

export function stateFromWorld(world: World, config: ArmConfig = DEFAULT_CONFIG): ArmState {
  const bySubscription = new Map<string, Assessment[]>(world.subscriptions.map((s) => [s.subscriptionId, []]));
  const byId = new Map<string, Assessment>();
  for (const a of world.assessments) {
    const copy = { ...a };
    bySubscription.get(a.subscriptionId)?.push(copy);
    byId.set(a.id.toLowerCase(), copy);
  }
  return {
    bySubscription,
    byId,
    assignments: new Map(),
    rules: new Map(),
    operations: new Map(),
    config: { ...config },
    resourceTags: new Map(),
    reads: new Map(),
    graphQuota: new Map(),
    graphLog: [],
    version: 0,
  };
}

const ZAssessment = z.object({
  id: z.string(),
  key: z.string(),
  resourceId: z.string(),
  subscriptionId: z.string(),
  status: z.enum(["Healthy", "Unhealthy", "NotApplicable"]),
  cause: z.string().optional(),
  description: z.string().optional(),
  firstEvaluationDate: z.string(),
  statusChangeDate: z.string(),
});
const ZSnapshot = z.object({
  assessments: z.array(ZAssessment),
  assignments: z.array(
    z.object({
      id: z.string(),
      resourceId: z.string(),
      assessmentName: z.string(),
      key: z.string(),
      properties: z.record(z.string(), z.unknown()),
    }),
  ),
  rules: z.array(z.object({ id: z.string(), scope: z.string(), name: z.string(), properties: z.record(z.string(), z.unknown()) })),
  config: z.object({
    pageSize: z.number(),
    readBudget: z.object({ limit: z.number(), windowSeconds: z.number() }).nullable(),
    // Optional: snapshots written before the Resource Graph quota existed get the default.
    resourceGraphQuota: z.object({ limit: z.number(), windowSeconds: z.number() }).nullable().optional(),
  }),
  // Optional: snapshots written before tags could change have none.
  resourceTags: z.array(z.object({ id: z.string(), tags: z.record(z.string(), z.string()) })).optional(),
});

export function snapshotArmState(s: ArmState): z.infer<typeof ZSnapshot> {
  return {
    assessments: [...s.bySubscription.values()].flat(),
    assignments: [...s.assignments.values()],
    rules: [...s.rules.values()],
    config: s.config,
    resourceTags: [...s.resourceTags].map(([id, tags]) => ({ id, tags })),
  };
}

export function restoreArmState(world: World, raw: unknown): ArmState {
  const snap = ZSnapshot.parse(raw);
  const state = stateFromWorld(
    { ...world, assessments: snap.assessments },
    {
      ...DEFAULT_CONFIG,
      ...snap.config,
      resourceGraphQuota: snap.config.resourceGraphQuota === undefined ? DEFAULT_CONFIG.resourceGraphQuota : snap.config.resourceGraphQuota,
    },
  );
  for (const a of snap.assignments) state.assignments.set(a.id.toLowerCase(), a);
  for (const r of snap.rules) state.rules.set(r.id.toLowerCase(), r);
  for (const t of snap.resourceTags ?? []) state.resourceTags.set(t.id.toLowerCase(), t.tags);
  return state;
}
