export const tokenKeys = {
  all: ["tokens"] as const,
  list: (page: number) => [...tokenKeys.all, "list", page] as const,
};
