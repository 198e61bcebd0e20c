import { notFound } from "next/navigation";
import { type QueryClient, type QueryKey } from "@tanstack/react-query";
import { type z } from "zod";
import { isAppError } from "@/lib/http/errors";

// What the app's pages do before they render: prefetch a list for the first paint, load a detail page's
// record or answer 404.

/**
 * Prefetches a list when its filters parse; filters the list cannot use are not fetched (the client view
 * shows what is wrong with the address).
 */
export async function prefetchParsed<S extends z.ZodType>(
  client: QueryClient,
  schema: S,
  filters: unknown,
  queryKey: QueryKey,
  load: (query: z.infer<S>) => Promise<unknown>,
): Promise<void> {
  const parsed = schema.safeParse(filters);
  if (parsed.success) await client.prefetchQuery({ queryKey, queryFn: () => load(parsed.data) });
}

/** A detail page's record: an unknown one (NOT_FOUND) is the 404 page. */
export async function loadOr404<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}
