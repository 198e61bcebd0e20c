import { type ReactNode } from "react";
import { Sidebar } from "@/components/shell/sidebar";
import { ViewerRoleProvider } from "@/components/shell/viewer";
import { requirePageActor } from "@/lib/auth/page";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const actor = await requirePageActor();
  return (
    <div className="flex min-h-screen flex-col sm:flex-row">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-surface focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <Sidebar user={{ name: actor.name, email: actor.email, role: actor.role }} />
      <main id="main" className="min-w-0 flex-1 px-4 py-5 lg:px-6">
        <ViewerRoleProvider role={actor.role}>{children}</ViewerRoleProvider>
      </main>
    </div>
  );
}
