"use client";
import { useEffect, useState } from "react";
import { flushSync } from "react-dom";

/**
 * True while the browser prepares a printout. Charts then render at a fixed page width: a responsive
 * chart measures its container with a ResizeObserver, which does not run before the print snapshot, so
 * it would print at the screen's width (cut off) or not at all. flushSync makes the switch happen
 * before the browser lays the page out for printing.
 */
export function usePrinting(): boolean {
  const [isPrinting, setPrinting] = useState(false);
  useEffect(() => {
    const before = () => flushSync(() => setPrinting(true));
    const after = () => setPrinting(false);
    const media = window.matchMedia("print");
    const onChange = (e: MediaQueryListEvent) => (e.matches ? before() : after());
    window.addEventListener("beforeprint", before);
    window.addEventListener("afterprint", after);
    media.addEventListener("change", onChange);
    if (media.matches) before();
    return () => {
      window.removeEventListener("beforeprint", before);
      window.removeEventListener("afterprint", after);
      media.removeEventListener("change", onChange);
    };
  }, []);
  return isPrinting;
}
