// Resource tags as the ARM emulator serves them: the seeded world's tags, unless the control API replaced
// them (ArmState.resourceTags). Resource Graph's `resources` table and governance rules that take the owner
// from a tag (`ownerSource: ByTag`) both read them through here, so a tag change shows in both.
import { z } from "zod";
import type { Resource } from "../seed/types";
import type { ArmState } from "./state";

export function resourceTagsOf(state: ArmState, resource: Resource): Record<string, string> {
  return state.resourceTags.get(resource.id.toLowerCase()) ?? resource.tags;
}

// Azure's limits: 50 tags per resource, names up to 512 characters (no < > % & \ ? /), values up to 256.
export const ZResourceTags = z
  .record(
    z
      .string()
      .min(1)
      .max(512)
      .regex(/^[^<>%&\\?/]+$/, "a tag name must not contain < > % & \\ ? /"),
    z.string().max(256),
  )
  .refine((tags) => Object.keys(tags).length <= 50, "a resource holds at most 50 tags");
