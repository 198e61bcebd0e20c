export const conversationKeys = {
  all: ["ticket-conversation"] as const,
  detail: (ticketId: string) => [...conversationKeys.all, ticketId] as const,
};
