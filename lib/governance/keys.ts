// Names of the governance assignments PostureDesk manages in Defender for Cloud.
import { createHash } from "node:crypto";

/**
 * One managed assignment per finding (Defender shows one owner and due date per assessment and
 * resource): its name is a UUID derived from the finding's ARM id, so every process, the sync engine
 * and a re-installed PostureDesk address the same assignment.
 */
export function governanceAssignmentKey(findingArmId: string): string {
  const h = createHash("sha256").update(`posturedesk/governance/${findingArmId.toLowerCase()}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50; // version 5 (name-based)
  h[8] = (h[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = h.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
