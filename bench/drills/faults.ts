import type { DrillContext, DrillResult } from "./scenario";

export async function faultsDrill(_ctx: DrillContext, _options: { matrix: "combined" | "all" }): Promise<DrillResult> {
  throw new Error("not written yet");
}
