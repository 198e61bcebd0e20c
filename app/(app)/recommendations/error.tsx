"use client";
import { ErrorState } from "@/components/ui/states";

// Next 16 hands error boundaries `retry` (re-fetches and re-renders the segment).
export default function RecommendationsError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorState title="The recommendations workspace could not be shown" error={error} onRetry={retry} />;
}
