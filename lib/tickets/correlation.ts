// Deterministic ServiceNow correlation ids (docs/DESIGN.md §4.5): the same findings, ticket type and
// connection always give the same id, so a retry, a double click or a second worker finds the ticket
// that was already created instead of creating another. A generation counter makes a deliberate
// re-ticket (after the previous ticket was unlinked or replaced) differ from the earlier one.
//
//   posturedesk:inc:3f0c…(32 hex):g1      (≤ 100 characters, ServiceNow's column size)
import { createHash } from "node:crypto";
import { type TCreateTicketType } from "@/lib/schemas/tickets";

const TYPE_CODE: Record<TCreateTicketType, string> = { incident: "inc", problem: "prb", change_request: "chg" };

/** Everything but the generation: `${prefix}:${type}:${hash of the sorted finding ARM ids}`. */
export function correlationBase(prefix: string, type: TCreateTicketType, findingArmIds: readonly string[]): string {
  if (findingArmIds.length === 0) throw new Error("correlationBase needs at least one finding");
  // ARM ids are case-insensitive; sorting makes the selection order irrelevant.
  const canonical = [...new Set(findingArmIds.map((id) => id.toLowerCase()))].sort().join("\n");
  const hash = createHash("sha256").update(`${type}\n${canonical}`).digest("hex").slice(0, 32);
  return `${prefix}:${TYPE_CODE[type]}:${hash}`;
}

export function correlationId(base: string, generation: number): string {
  return `${base}:g${generation}`;
}

/** The generation of `id` when it belongs to `base`, else null. */
export function generationOf(id: string | null | undefined, base: string): number | null {
  if (!id?.startsWith(`${base}:g`)) return null;
  const n = Number(id.slice(base.length + 2));
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}
