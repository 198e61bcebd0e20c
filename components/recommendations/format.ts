// Display helpers shared by the workspace views (client-safe).

export function formatPercent(ratio: number | null): string {
  return ratio === null ? "—" : `${Math.round(ratio * 100)}%`;
}

/** "microsoft.compute/virtualmachines" → "virtualmachines" with its provider as a hint. */
export function shortType(type: string): { name: string; provider: string } {
  const parts = type.split("/");
  return { name: parts.at(-1) ?? type, provider: parts.slice(0, -1).join("/") };
}

/** Filters both workspace views share; switching view keeps them. */
export const SHARED_FILTERS = ["severity", "status", "subscriptionId", "resourceType", "category", "hasTicket", "overdue", "q"] as const;
