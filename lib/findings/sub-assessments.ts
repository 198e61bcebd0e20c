import "server-only";

// Reading vulnerability sub-findings (SubAssessment, written by lib/ingestion/sub-assessments.ts):
// - subAssessmentSummary(findingId): counts by severity and the worst items of one finding — what
//   GET /api/findings/{id}, the finding and resource pages and ticket texts show (reusable as is);
// - topCvesOf(findingIds): the worst CVEs of a set of findings (ticket descriptions);
// - recommendationVulnerabilities(key): one row per vulnerability across a recommendation's current
//   findings (the recommendation page).

export {
  cveLinksOf,
  subAssessmentSummary,
  subAssessmentCounts,
  topCvesOf,
  topSubAssessmentsOf,
  recommendationVulnerabilities,
  type TopCves,
} from "./sub-assessments-sql";
