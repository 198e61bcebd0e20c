import { describe, expect, test } from "vitest";
import { threatLabel } from "./format";

describe("threatLabel", () => {
  test("Defender's threat identifiers read as words", () => {
    expect(threatLabel("dataExfiltration")).toBe("Data exfiltration");
    expect(threatLabel("ElevationOfPrivilege")).toBe("Elevation of privilege");
    expect(threatLabel("someNewThreat")).toBe("Some new threat");
  });
});
