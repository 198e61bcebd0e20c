"use client";
import { QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode } from "react";
import { PendingTicketsProvider } from "@/components/tickets/pending-tickets";
import { ToastProvider } from "@/components/ui/toast";
import { getQueryClient } from "@/lib/queries/query-client";

export function Providers({ children }: { children: ReactNode }) {
  const client = getQueryClient();
  return (
    <QueryClientProvider client={client}>
      <ToastProvider>
        <PendingTicketsProvider>{children}</PendingTicketsProvider>
      </ToastProvider>
    </QueryClientProvider>
  );
}
