import { describe, expect, test } from "vitest";
import { ingestedNote } from "./tenant-test-dialog";

describe("ingestedNote", () => {
  test("one subscription reads as one, not '1 of 1 subscriptions'", () => {
    expect(ingestedNote(1, 1)).toBe("The only subscription it sees is ingested.");
    expect(ingestedNote(0, 1)).toBe("The only subscription it sees is not ingested.");
  });
  test("several subscriptions are counted", () => {
    expect(ingestedNote(2, 3)).toBe("2 of 3 subscriptions are ingested.");
  });
});
