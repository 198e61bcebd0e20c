import "server-only";

// Set-based writes of resource tags into Finding.tags (rules match tags and take owners from them).
// Resource ids are compared lowercased on both sides: Defender's resourceDetails.id and Resource Graph's
// id name the same resource in varying case.
//
// Why a staging table rather than one UPDATE per Resource Graph page (measured with bench/ingest.ts at
// 100,000 findings, docs/PERFORMANCE.md): matching `lower("resourceId")` has no index, so each page's
// UPDATE scanned every finding (~0.45 s × 9 pages for nothing), and writing tags into 100,000 findings
// just inserted rewrote each row and its 11 index entries again (~20 s). So a full pass lists the tags
// first into the session's `pg_temp.resource_tags` (one INSERT per page); new findings take their tags
// when they are inserted (finding-writer.ts joins this table), and after the pass one UPDATE (one hash
// join) writes only the existing findings whose tags changed. All on the ingestion's dedicated connection.
export { TAG_STAGE, ensureTagStage, resetTagStage, stageTagPage, applyStagedTags, writeTagPage, tagFreshFindings } from "./tag-writer-sql";
