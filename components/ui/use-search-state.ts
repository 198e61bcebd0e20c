"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";

/**
 * Filter, sort and page state kept in the URL, so a view can be shared or bookmarked.
 * Values are strings or string arrays; setting a filter resets the page to 1. Any change drops a keyset
 * `cursor` unless the change sets it.
 * Each committed change is a history entry (Back restores the previous filters); `history: "replace"`
 * is for changes that are not the person's step, e.g. keystrokes of a search or a page clamped to the last one.
 */
export function useSearchState() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();

  const state = useMemo(() => {
    const out: Record<string, string | string[]> = {};
    for (const key of new Set(params.keys())) {
      const all = params.getAll(key);
      out[key] = all.length > 1 ? all : all[0];
    }
    return out;
  }, [params]);

  const update = useCallback(
    (
      changes: Record<string, string | string[] | number | undefined | null>,
      opts: { resetPage?: boolean; history?: "push" | "replace" } = {},
    ) => {
      const next = new URLSearchParams(params.toString());
      for (const [key, value] of Object.entries(changes)) {
        next.delete(key);
        if (value === undefined || value === null || value === "") continue;
        if (Array.isArray(value)) value.forEach((v) => next.append(key, v));
        else next.set(key, String(value));
      }
      if (opts.resetPage ?? !("page" in changes)) next.delete("page");
      // A keyset cursor is only good for the exact page it was handed out for.
      if (!("cursor" in changes)) next.delete("cursor");
      const qs = next.toString();
      if (qs === params.toString()) return;
      const href = qs ? `${pathname}?${qs}` : pathname;
      if (opts.history === "replace") router.replace(href, { scroll: false });
      else router.push(href, { scroll: false });
    },
    [params, pathname, router],
  );

  const get = useCallback(
    (key: string) => {
      const v = state[key];
      return Array.isArray(v) ? v[0] : v;
    },
    [state],
  );

  const getAll = useCallback(
    (key: string) => {
      const v = state[key];
      return v === undefined ? [] : (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(",")).filter(Boolean);
    },
    [state],
  );

  return { state, get, getAll, update };
}
