import "server-only";

// Set-based writes of assessments into Finding: an upsert that writes only new or changed rows, with
// events for new findings and status changes, in the same statement. Two ways, by what a pass expects:
// - "direct": one statement per page (a first ingestion — all inserts, written while the next page is
//   fetched — and incremental passes, which write few rows);
// - "staged": a full pass over existing findings, mostly unchanged: each page goes into a session temp
//   table (no indexes, no WAL), then one merge compares everything with a hash join — 100 statements of
//   1,000 index lookups each cost ~10 s at 100,000 findings, one hash join well under one — and the
//   same temp table is the "seen" set whose anti-join marks what Defender no longer reports as removed.
// All on one dedicated connection (temp tables are per session), which also holds the tenant's lock.
// New findings take their resource's tags from the session's tag table (filled by a full pass before its
// listing, see tag-writer.ts); existing findings' tags are not touched here.
export { createFindingWriter, type PageResult, type FindingWriter } from "./finding-writer-sql";
