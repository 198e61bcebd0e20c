import "server-only";

// Configuration Compliance next to each finding (findings API): the CC test result matched to it and the
// remediation task holding that result; plus the CC filters of the findings list (the coverage view's
// drill-down). Only connections that are not archived and have CC on count.
export { CC_OF_FINDING_SQL, type CcJson, ccFilterSql, ccOf, HAS_FAILED_CC } from "./finding-cc-sql";
