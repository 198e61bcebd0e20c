import "server-only";

// Configuration Compliance next to each finding (findings API): the CC test result matched to it and the
// remediation task holding that result; plus the CC filters of the findings list (the coverage view's
// drill-down). Only connections that are not archived and have CC on count.
import { type TCcFilter } from "@/lib/schemas/compliance-cc";
import { LIVE_CONNECTION } from "./finding-cc-sql";
export { CC_OF_FINDING_SQL, type CcJson, ccOf } from "./finding-cc-sql";

/** An open failed CC result for finding `f`. */
export const HAS_FAILED_CC = `EXISTS (SELECT 1 FROM "CcResult" c ${LIVE_CONNECTION} WHERE c."findingId" = f."id" AND c."result" = 'Failed' AND c."isActive")`;
const HAS_ANY_CC = `EXISTS (SELECT 1 FROM "CcResult" c ${LIVE_CONNECTION} WHERE c."findingId" = f."id")`;

/** SQL condition on findings `f` for a CC filter (code-defined SQL, no input). */
export function ccFilterSql(filter: TCcFilter): string {
  switch (filter) {
    case "gap":
      return `(f."status" = 'Unhealthy' AND NOT ${HAS_FAILED_CC})`;
    case "disagree":
      return `(f."status" = 'Healthy' AND ${HAS_FAILED_CC})`;
    case "failed":
      return HAS_FAILED_CC;
    case "none":
      return `NOT ${HAS_ANY_CC}`;
  }
}
