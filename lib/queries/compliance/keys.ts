import { type TComplianceQuery } from "@/lib/schemas/compliance";

export const complianceKeys = {
  all: ["compliance"] as const,
  summary: (query: TComplianceQuery) => [...complianceKeys.all, "summary", query] as const,
  standard: (standard: string, subscriptionId: string | null) => [...complianceKeys.all, "standard", standard, subscriptionId] as const,
  control: (standard: string, control: string, subscriptionId: string | null) =>
    [...complianceKeys.all, "control", standard, control, subscriptionId] as const,
};
