// What PostureDesk writes into ServiceNow Configuration Compliance, and the pure rules behind it:
// the source name every test, policy and result carries, the result source id of a finding, risk
// ratings, and the policy (test group) a recommendation belongs to. Shared by the export, the read-back
// of remediation tasks and the connection test; no I/O here.
import { createHash } from "node:crypto";

/** `source` of every sn_vulc_policy, sn_vulc_test and sn_vulc_result PostureDesk writes. */
export const DEFENDER_SOURCE = "Microsoft Defender for Cloud";

/** sn_vulc_result.source_id holds 255 characters; longer ARM ids get a stable compact form. */
export const SOURCE_ID_MAX = 255;

/**
 * The result's source id: the assessment's ARM id (lowercase: ARM ids are case-insensitive). An id too
 * long for the column would be truncated by the instance — two findings could then share a result — so
 * it becomes `<assessment name>@sha256:<first 40 hex of the id's hash>` instead.
 */
export function resultSourceId(armId: string): string {
  const id = armId.toLowerCase();
  if (id.length <= SOURCE_ID_MAX) return id;
  const name = id.split("/").at(-1) ?? "assessment";
  return `${name}@sha256:${createHash("sha256").update(id).digest("hex").slice(0, 40)}`;
}

/** sn_vulc risk rating choice values: 1 Critical, 2 High, 3 Medium, 4 Low, 5 None. */
export const RISK_RATING = { High: "2", Medium: "3", Low: "4" } as const;

export type Severity = keyof typeof RISK_RATING;

/** One test group (sn_vulc_policy) per Defender category; a recommendation without one goes to "General". */
export function policyOf(categories: readonly string[]): { sourceId: string; name: string; category: string } {
  const category = categories.find((c) => c.trim() !== "")?.trim() ?? "General";
  return { sourceId: `category:${category.toLowerCase()}`, name: `${DEFENDER_SOURCE} – ${splitWords(category)}`, category };
}

/** "IdentityAndAccess" → "Identity And Access" (Defender's category keys are PascalCase). */
function splitWords(text: string): string {
  return text.replace(/([a-z])([A-Z])/g, "$1 $2");
}

/** Import rows per Import Set API call (insertMultiple): large enough to be quick, small enough to retry. */
export const IMPORT_BATCH = 200;
