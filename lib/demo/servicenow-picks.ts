import "server-only";

// Which findings the demo tickets: a few recommendations, each with some of its unhealthy resources
// ticketed and some left open, so the recommendations view shows both states side by side.
import { db } from "@/lib/db";
import { type TCreateTicket } from "@/lib/schemas/tickets";

export type DemoPick = Pick<TCreateTicket, "type" | "findingIds"> & Partial<Pick<TCreateTicket, "changeType" | "assignedTo" | "workNotes">>;

const SEVERITY_ORDER = { High: 0, Medium: 1, Low: 2 } as const;

export async function pickDemoFindings(connectionId: string): Promise<DemoPick[]> {
  const findings = await db().finding.findMany({
    where: { status: "Unhealthy", removedAt: null, links: { none: { activeConnectionId: connectionId } } },
    select: { id: true, recommendationKey: true, severity: true, armId: true },
    orderBy: { armId: "asc" },
    take: 5000,
  });
  const byRecommendation = new Map<string, typeof findings>();
  for (const f of findings) byRecommendation.set(f.recommendationKey, [...(byRecommendation.get(f.recommendationKey) ?? []), f]);
  // Recommendations with at least two unhealthy resources (one stays unticketed), most severe first.
  const candidates = [...byRecommendation.values()]
    .filter((group) => group.length >= 2)
    .sort(
      (a, b) =>
        SEVERITY_ORDER[a[0]!.severity] - SEVERITY_ORDER[b[0]!.severity] || a[0]!.recommendationKey.localeCompare(b[0]!.recommendationKey),
    );
  const plans: Array<(group: typeof findings) => DemoPick> = [
    (g) => ({
      type: "incident",
      findingIds: g.slice(0, Math.min(2, g.length - 1)).map((f) => f.id),
      assignedTo: "ari.analyst@contoso.example",
      workNotes: "Demo ticket created by PostureDesk's bootstrap.",
    }),
    (g) => ({ type: "problem", findingIds: [g[0]!.id] }),
    (g) => ({ type: "change_request", findingIds: [g[0]!.id], changeType: "standard" }),
    (g) => ({ type: "incident", findingIds: [g[0]!.id] }),
  ];
  return plans.flatMap((plan, i) => (candidates[i] ? [plan(candidates[i]!)] : []));
}
