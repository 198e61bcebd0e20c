export const ticketKeys = {
  all: ["tickets"] as const,
  list: (filters: Record<string, unknown>) => [...ticketKeys.all, "list", filters] as const,
  detail: (id: string) => [...ticketKeys.all, "detail", id] as const,
  draft: (input: Record<string, unknown>) => [...ticketKeys.all, "draft", input] as const,
  request: (id: string) => [...ticketKeys.all, "request", id] as const,
  changeTemplates: (connectionId: string) => [...ticketKeys.all, "change-templates", connectionId] as const,
};
