// Table-driven checks for unit tests of small pure functions: one row per input and what the function
// must answer for it, instead of one `expect(fn(input)).toBe(output)` line each.
import { expect } from "vitest";

/** `fn(input)` is `expected` (Object.is, like `toBe`) for every row; a failing row is named by its input. */
export function expectCases<I, O>(fn: (input: I) => O, rows: ReadonlyArray<readonly [input: I, expected: O]>): void {
  for (const [input, expected] of rows) expect(fn(input), `for ${String(input)}`).toBe(expected);
}
