// Defender's secure score by control: each security control's points (current of max), resources and
// the recommendations it groups, over the subscriptions in scope (/compliance, managers).
import { z } from "zod";

export const ZScoreControlRecommendation = z.object({
  key: z.string(),
  displayName: z.string(),
  severity: z.enum(["High", "Medium", "Low"]),
  /** Unhealthy, current findings of the recommendation in scope. */
  unhealthyFindings: z.number().int(),
  /** Of those, how many an active ticket tracks. */
  withTicket: z.number().int(),
});

export const ZScoreControl = z.object({
  /** Defender's control name (a GUID). */
  name: z.string(),
  displayName: z.string(),
  current: z.number(),
  max: z.number(),
  /** current / max in percent (one decimal); null when the control is worth no points here. */
  percent: z.number().nullable(),
  /** Points a full remediation would add. */
  potentialIncrease: z.number(),
  healthyResources: z.number().int(),
  unhealthyResources: z.number().int(),
  notApplicableResources: z.number().int(),
  /** Most unhealthy first; recommendations PostureDesk has no metadata for are left out. */
  recommendations: z.array(ZScoreControlRecommendation),
});
export type TScoreControl = z.infer<typeof ZScoreControl>;

export const ZScoreControls = z.object({ subscriptionId: z.string().nullable(), controls: z.array(ZScoreControl) });
export type TScoreControls = z.infer<typeof ZScoreControls>;
