import { type TVulnerabilityFilter } from "./api";

export const subAssessmentKeys = {
  all: ["sub-assessments"] as const,
  finding: (id: string) => [...subAssessmentKeys.all, "finding", id] as const,
  recommendation: (key: string, filter: TVulnerabilityFilter) => [...subAssessmentKeys.all, "recommendation", key, filter] as const,
};
