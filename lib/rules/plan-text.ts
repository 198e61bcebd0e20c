// Pure pieces of the planner: how a planned ticket is described and ordered. The short description
// follows the ticket service's own wording (lib/tickets/draft-text.ts shortDescriptionOf), computed from
// a group's summary instead of every finding; test/routes/rules-plan.int.test.ts checks the two agree on the
// tickets a real run creates.

const MAX_SHORT_DESCRIPTION = 160;

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

export function plannedShortDescription(input: {
  recommendations: Array<{ displayName: string }>;
  findingCount: number;
  firstResource: string;
}): string {
  if (input.recommendations.length === 1) {
    const what = input.findingCount === 1 ? input.firstResource : `${input.findingCount} resources`;
    return truncate(`Defender for Cloud: ${input.recommendations[0]!.displayName} – ${what}`, MAX_SHORT_DESCRIPTION);
  }
  return truncate(
    `Defender for Cloud: ${input.findingCount} findings across ${input.recommendations.length} recommendations`,
    MAX_SHORT_DESCRIPTION,
  );
}

/** "recommendation:abc" part 2 of 3 → "recommendation:abc#2"; single parts keep the plain key. */
export function partKey(groupKey: string, part: number, parts: number): string {
  return parts > 1 ? `${groupKey}#${part + 1}` : groupKey;
}

const DAY_MS = 86_400_000;

export function dueDateOf(now: Date, remediationDays: number): Date {
  return new Date(now.getTime() + remediationDays * DAY_MS);
}

/** Rules in evaluation order: lower priority number first; an unsaved draft before a stored rule of the same number. */
export function byEvaluationOrder<T extends { priority: number; isDraft?: boolean }>(a: T, b: T): number {
  return a.priority - b.priority || Number(Boolean(b.isDraft)) - Number(Boolean(a.isDraft));
}
