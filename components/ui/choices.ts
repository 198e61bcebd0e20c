import { type ReactNode } from "react";

// The options of a filter select (<AddressSelect>): values with their labels.

/** The options of <AddressSelect> for a list of values: each value with its label. */
export function choices<V extends string>(values: readonly V[], label: (value: V) => ReactNode): Array<readonly [V, ReactNode]> {
  return values.map((v) => [v, label(v)] as const);
}

/** The options of a connection filter: each connection by name, "(archived)" after an archived one. */
export type ConnectionChoice = { id: string; name: string; isArchived: boolean };

export function connectionChoices(connections: ConnectionChoice[]) {
  return connections.map((c) => [c.id, `${c.name}${c.isArchived ? " (archived)" : ""}`] as const);
}

/** "open" → "Open": the label of a lower-case state or status. */
export const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The options of a facet (value and label, as the API lists them). */
export function facetChoices(facet: Array<{ value: string; label: string }>) {
  return facet.map((f) => [f.value, f.label] as const);
}
