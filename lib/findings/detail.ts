import "server-only";

// GET /api/findings/{id}: one finding (the list's DTO) with its vulnerability sub-findings.

import { assertRole, type Caller } from "@/lib/auth/authorize";
import { AppError } from "@/lib/http/errors";
import { type TFindingDto } from "@/lib/schemas/findings";
import { type TSubAssessmentSummary } from "@/lib/schemas/sub-assessments";
import { findingDetails } from "./list";
import { subAssessmentSummary } from "./sub-assessments";

export type TFindingDetail = TFindingDto & { subAssessments: TSubAssessmentSummary };

export async function getFinding(actor: Caller, id: string, options: { subLimit: number }): Promise<TFindingDetail> {
  assertRole(actor, "manager", "Reading findings");
  const [finding] = await findingDetails([id]);
  if (!finding) throw new AppError("NOT_FOUND", { message: `No finding ${id}` });
  return { ...finding, subAssessments: await subAssessmentSummary(id, { limit: options.subLimit }) };
}
