// Order of the test files: the longest integration files start first, so the step does not end with one
// of them running alone while the other worker has nothing left (docs/PERFORMANCE.md, "Test run time").
// Vitest's own order (BaseSequencer) puts the longest first only when it has the durations of a previous
// run in its cache; a fresh CI machine has none, and then it goes by file size — the 60-line estate test,
// one of the longest, came last. The rest keep Vitest's order.
import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** Longest first: test time of each file in a full integration run (`--reporter=json`, load average ~11). */
export const LONGEST_FILES = [
  "lib/sync/chaos.int.test.ts", // 198 s
  "lib/ingestion/estate.int.test.ts", // 157 s
  "test/routes/ticket-requests.int.test.ts", // 91 s
  "test/fuzz-write-routes.int.test.ts", // 78 s
  "lib/sync/reconcile.int.test.ts", // 40 s
  "test/routes/compliance-cc-read.int.test.ts", // 39 s
  "test/routes/tickets-create.int.test.ts", // 39 s
  "lib/db/embedded.int.test.ts", // 37 s
  "lib/sync/engine.int.test.ts", // 32 s
  "test/routes/sync-profiles.int.test.ts", // 30 s
  "scripts/admin.int.test.ts", // 30 s
  "test/routes/rules-dry-run-equals-run.int.test.ts", // 27 s
];

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const root = this.ctx.config.root;
    const rank = (spec: TestSpecification) => {
      const i = LONGEST_FILES.indexOf(relative(root, spec.moduleId).split("\\").join("/"));
      return i === -1 ? LONGEST_FILES.length : i;
    };
    // Projects keep their base order; within one, the named files first, longest first. Array.prototype.sort
    // is stable: the files not named keep the base order, after the named ones.
    const projects = [...new Set(base.map((spec) => spec.project.name))];
    const group = (spec: TestSpecification) => projects.indexOf(spec.project.name);
    return base.sort((a, b) => group(a) - group(b) || rank(a) - rank(b));
  }
}
