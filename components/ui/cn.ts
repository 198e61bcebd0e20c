import { clsx, type ClassValue } from "clsx";

/** Joins class names; later utility classes are written to win by construction, not by merging. */
export function cn(...values: ClassValue[]): string {
  return clsx(values);
}
