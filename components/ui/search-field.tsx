"use client";
import { useEffect, useRef, useState } from "react";
import { TextField } from "@/components/ui/field";
import { type SearchCommits, searchCommits } from "@/components/ui/search-commits";

/** How long typing pauses before the search applies. */
export const SEARCH_DEBOUNCE_MS = 300;

type Props = {
  /** The search as it is in the URL. */
  value: string;
  /** Applies a search; `history` is "push" for the first keystroke of a typing run, "replace" after. */
  onSearch: (value: string, history: "push" | "replace") => void;
  label?: string;
  placeholder?: string;
  containerClassName?: string;
};

/**
 * A list's search box: applies as the person types (debounced), Enter applies at once. One typing run is
 * one history entry (Back returns to the search before it, not to each letter). A change of the URL from
 * elsewhere (Back, "Clear filters", a saved view) shows in the box; the person's own commits do not
 * overwrite what they are still typing.
 */
export function SearchField({ value, onSearch, label = "Search", placeholder, containerClassName }: Props) {
  const [text, setText] = useState(value);
  const commits = useRef<SearchCommits | null>(null);
  commits.current ??= searchCommits(value);
  const inRun = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(onSearch);
  useEffect(() => {
    latest.current = onSearch;
  });

  // The URL changed by something other than this box: show it. (An earlier commit of this box landing
  // late is not such a change: search-commits.ts.)
  useEffect(() => {
    if (commits.current?.fromUrl(value) === "external") {
      inRun.current = false;
      if (timer.current) clearTimeout(timer.current);
      setText(value);
    }
  }, [value]);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const commit = (raw: string) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    const next = raw.trim();
    if (!commits.current?.commit(next)) return;
    latest.current(next, inRun.current ? "replace" : "push");
    inRun.current = true;
  };

  return (
    <TextField
      label={label}
      type="search"
      placeholder={placeholder}
      value={text}
      onChange={(e) => {
        const v = e.target.value;
        setText(v);
        if (timer.current) clearTimeout(timer.current);
        timer.current = setTimeout(() => commit(v), SEARCH_DEBOUNCE_MS);
      }}
      onKeyDown={(e) => {
        if (e.key === "Enter") commit(e.currentTarget.value);
      }}
      onBlur={(e) => {
        commit(e.target.value);
        inRun.current = false;
      }}
      containerClassName={containerClassName}
    />
  );
}
