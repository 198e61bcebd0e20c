import "server-only";

// The recommendation catalog (assessment metadata, joined to assessments by name): upserted set-based
// before the findings that reference it, only when something changed. A finding whose metadata never
// arrives gets a placeholder recommendation (isPlaceholder, Medium) so it is still listed; real
// metadata replaces it when it shows up. Severity changes are carried to the findings (copied there
// for filtering).
export { createRecommendationWriter, type RecommendationWriter } from "./recommendation-writer-sql";
