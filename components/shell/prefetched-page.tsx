import { Suspense, type ComponentProps, type ReactNode } from "react";
import { dehydrate, HydrationBoundary, type QueryClient } from "@tanstack/react-query";
import { PageHeader } from "@/components/ui/page-header";
import { LoadingState } from "@/components/ui/states";

/**
 * A page whose data the server prefetched into `client`: its header (when given), then the view hydrated
 * from that data, behind a loading state while it suspends (`suspense={false}`: a view that never does).
 */
export function PrefetchedPage({
  client,
  header,
  suspense = true,
  children,
}: {
  client: QueryClient;
  header?: ComponentProps<typeof PageHeader>;
  suspense?: boolean;
  children: ReactNode;
}) {
  return (
    <>
      {header ? <PageHeader {...header} /> : null}
      <HydrationBoundary state={dehydrate(client)}>
        {suspense ? <Suspense fallback={<LoadingState />}>{children}</Suspense> : children}
      </HydrationBoundary>
    </>
  );
}
