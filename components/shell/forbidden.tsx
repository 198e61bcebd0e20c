import { ShieldOff } from "lucide-react";

/** Shown when a signed-in person opens a page their role does not include. */
export function Forbidden({ need }: { need: string }) {
  return (
    <div className="mx-auto mt-16 max-w-md text-center" role="alert">
      <ShieldOff aria-hidden className="mx-auto size-8 text-muted" />
      <h1 className="mt-3 text-lg font-semibold">You do not have access to this page</h1>
      <p className="mt-1 text-sm text-muted">It needs the {need} role. Ask an administrator if you need it.</p>
    </div>
  );
}
