"use client";
import { useEffect } from "react";
import { CircleAlert, CircleCheck, CircleMinus, CircleX } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { cn } from "@/components/ui/cn";
import { useTestConnection } from "@/lib/queries/connections/use-connections";
import { type TConnectionTestStep, type TServiceNowConnectionDto } from "@/lib/schemas/connections";

const ICON = { ok: CircleCheck, warning: CircleAlert, failed: CircleX, skipped: CircleMinus } as const;
const TONE = { ok: "text-success", warning: "text-warning", failed: "text-danger", skipped: "text-muted" } as const;
const WORD = { ok: "OK", warning: "Warning", failed: "Failed", skipped: "Skipped" } as const;

function Step({ step }: { step: TConnectionTestStep }) {
  const Icon = ICON[step.status];
  return (
    <li className="flex items-start gap-2 py-2">
      <Icon aria-hidden className={cn("mt-0.5 size-4 shrink-0", TONE[step.status])} />
      <div className="min-w-0">
        <p className="text-sm font-medium">
          {step.label} <span className={cn("text-xs font-normal", TONE[step.status])}>· {WORD[step.status]}</span>
        </p>
        <p className="text-xs break-words text-muted">{step.message}</p>
      </div>
    </li>
  );
}

/** Runs "Test connection" when opened and lists each check with what to fix. */
export function ConnectionTestDialog({ connection, onClose }: { connection: TServiceNowConnectionDto; onClose: () => void }) {
  const test = useTestConnection();
  const { mutate } = test;
  useEffect(() => {
    mutate(connection.id);
  }, [connection.id, mutate]);

  return (
    <Dialog
      open
      onClose={onClose}
      title={`Test connection: ${connection.name}`}
      description={connection.instanceUrl}
      footer={
        <>
          <Button onClick={() => test.mutate(connection.id)} isLoading={test.isPending}>
            Test again
          </Button>
          <Button variant="primary" onClick={onClose}>
            Close
          </Button>
        </>
      }
    >
      {test.isPending ? (
        <LoadingState label="Signing in and checking permissions…" />
      ) : test.isError ? (
        <ErrorState title="The test could not run" error={test.error} />
      ) : test.data ? (
        <div>
          <p role="status" className={cn("text-sm font-medium", test.data.isOk ? "text-success" : "text-danger")}>
            {test.data.isOk ? "Connection works." : "The connection has problems."} <span className="text-xs font-normal text-muted">({test.data.durationMs} ms)</span>
          </p>
          <ul className="mt-2 divide-y divide-border" aria-label="Test steps">
            {test.data.steps.map((s) => (
              <Step key={s.id} step={s} />
            ))}
          </ul>
          <p className="mt-3 text-xs text-muted">Write permissions are confirmed by ServiceNow when the first ticket is created.</p>
        </div>
      ) : null}
    </Dialog>
  );
}
