// Remediated recommendations: in a real tenant many recommendations are fully resolved in a subscription
// (every resource Healthy), which is what lets regulatory controls pass. The world generator draws each
// assessment's status independently (70 % Unhealthy), so without this step nearly every recommendation of
// every subscription keeps some unhealthy resource and every compliance control fails. This step marks a
// stable share of (subscription, recommendation) pairs with few resources as remediated: their Unhealthy
// assessments become Healthy (their dates kept, all inside the seeded window). The benchmark sizes
// (large, estate) are left as generated, and so are the vulnerability recommendations (their CVEs).
import { createRng } from "../common/rng";
import type { World } from "./types";

/** Pairs with at most this many assessed resources may be remediated. */
const MAX_RESOURCES = 12;
/** Share of those pairs that are remediated. */
const SHARE = 0.5;

/** Vulnerability recommendations keep their findings: every kind of sub-assessment (CVEs) must stay visible. */
const KEEP = /vulnerability findings resolved$/i;

export function remediateSettledRecommendations(world: World): void {
  if (world.size === "large" || world.size === "estate") return;
  const kept = new Set(world.recommendations.filter((r) => KEEP.test(r.displayName)).map((r) => r.key));
  const pairs = new Map<string, World["assessments"]>();
  for (const a of world.assessments) {
    const key = `${a.subscriptionId}/${a.key}`;
    const list = pairs.get(key);
    if (list) list.push(a);
    else pairs.set(key, [a]);
  }
  for (const [key, list] of pairs) {
    if (list.length > MAX_RESOURCES || kept.has(list[0]!.key)) continue;
    if (!createRng(`remediated/${world.seed}/${key}`).chance(SHARE)) continue;
    for (const a of list) {
      if (a.status !== "Unhealthy") continue;
      a.status = "Healthy";
    }
  }
}
