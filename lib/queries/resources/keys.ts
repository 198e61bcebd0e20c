export const resourceKeys = {
  all: ["resources"] as const,
  detail: (resourceId: string) => [...resourceKeys.all, "detail", resourceId.toLowerCase()] as const,
};
