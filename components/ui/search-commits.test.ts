import { describe, expect, test } from "vitest";
import { searchCommits } from "./search-commits";

describe("searchCommits", () => {
  test("the URL catching up with the box's own commits, in order, is never a change from elsewhere", () => {
    const commits = searchCommits("");
    expect(commits.commit("PRB004")).toBe(true);
    expect(commits.commit("PRB0040")).toBe(true);
    // The first pause's search lands after the second pause's was made: the box keeps "PRB0040…".
    expect(commits.fromUrl("PRB004")).toBe("own");
    expect(commits.fromUrl("PRB0040")).toBe("own");
  });

  test("a commit the URL skipped (a later navigation superseded it) is forgotten once the later one lands", () => {
    const commits = searchCommits("");
    commits.commit("a");
    commits.commit("ab");
    expect(commits.fromUrl("ab")).toBe("own");
    // Back to "a" later is the person's step elsewhere, not a stale commit of the box.
    expect(commits.fromUrl("a")).toBe("external");
  });

  test("Back, Clear filters or a saved view is a change from elsewhere, and resets the run", () => {
    const commits = searchCommits("vm");
    expect(commits.fromUrl("vm")).toBe("own");
    expect(commits.fromUrl("")).toBe("external");
    expect(commits.commit("")).toBe(false); // already what the URL shows
    expect(commits.commit("sql")).toBe(true);
    expect(commits.fromUrl("storage")).toBe("external");
    expect(commits.fromUrl("sql")).toBe("external"); // the pending "sql" was dropped by the external change
  });

  test("committing the value last committed applies nothing", () => {
    const commits = searchCommits("x");
    expect(commits.commit("x")).toBe(false);
    expect(commits.commit("xy")).toBe(true);
    expect(commits.commit("xy")).toBe(false);
  });
});
