import { type TSavedViewPage } from "@/lib/schemas/saved-views";

export const savedViewKeys = {
  all: ["saved-views"] as const,
  list: (page: TSavedViewPage) => [...savedViewKeys.all, "list", page] as const,
  detail: (id: string) => [...savedViewKeys.all, "detail", id] as const,
};
