import { type ReactNode } from "react";

/** Centered card used by the sign-in, signed-out and no-access pages. */
export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="grid min-h-screen place-items-center px-4">
      <div className="w-full max-w-sm rounded-xl border border-border bg-surface p-6 shadow-sm">
        <div className="mb-5 flex items-center gap-2">
          <span aria-hidden className="grid size-8 place-items-center rounded-md bg-accent text-xs font-bold text-accent-fg">
            PD
          </span>
          <span className="text-base font-semibold">PostureDesk</span>
        </div>
        <h1 className="text-lg font-semibold">{title}</h1>
        <div className="mt-2 text-sm text-muted">{children}</div>
      </div>
    </main>
  );
}
