// Number formatting shared by the UI (pure and client-safe).
//
// Counts are written the same way on the server and in the browser: with the runtime's default
// locale, a German browser would hydrate "1.234" over the server's "1,234" (hydration error #418).
// The UI is in English, so its numbers are too.

const COUNT = new Intl.NumberFormat("en-US");

/** 1234 → "1,234". */
export function formatCount(n: number): string {
  return COUNT.format(n);
}
