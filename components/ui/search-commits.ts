/**
 * The bookkeeping of a search box whose commits go to the URL: which values the box itself committed,
 * and whether a value the URL now shows is one of them (the box keeps what the person is typing) or a
 * change from elsewhere (Back, "Clear filters", a saved view: the box shows it).
 *
 * Navigations apply one after the other, and on a slow network or machine the URL can show an earlier
 * commit of a typing run after a later one was made; that value is the box's own, not a change from
 * elsewhere, and must not overwrite the letters typed since.
 */
export type SearchCommits = {
  /** Records a commit; false when it is the value last committed (nothing to apply). */
  commit(next: string): boolean;
  /** What a value the URL now shows is: this box's own commit, or a change from elsewhere. */
  fromUrl(value: string): "own" | "external";
};

export function searchCommits(initial: string): SearchCommits {
  let committed = initial;
  // Commits the URL has not shown yet, oldest first.
  let pending: string[] = [];
  return {
    commit(next) {
      if (next === committed) return false;
      committed = next;
      pending.push(next);
      return true;
    },
    fromUrl(value) {
      const own = pending.indexOf(value);
      if (own >= 0) {
        pending = pending.slice(own + 1);
        return "own";
      }
      if (value === committed) return "own";
      committed = value;
      pending = [];
      return "external";
    },
  };
}
