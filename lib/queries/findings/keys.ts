import { type TFindingsQuery } from "@/lib/schemas/findings";

export const findingKeys = {
  all: ["findings"] as const,
  list: (query: TFindingsQuery) => [...findingKeys.all, "list", query] as const,
};
