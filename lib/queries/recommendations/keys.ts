import { type TRecommendationsQuery } from "@/lib/schemas/recommendations";

export const recommendationKeys = {
  all: ["recommendations"] as const,
  list: (query: TRecommendationsQuery) => [...recommendationKeys.all, "list", query] as const,
  detail: (key: string) => [...recommendationKeys.all, "detail", key] as const,
};
