"use client";
import { ErrorState } from "@/components/ui/states";

export default function FindingsError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorState title="The findings could not be shown" error={error} onRetry={retry} />;
}
