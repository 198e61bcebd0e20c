"use client";
import { useEffect } from "react";
import { CircleAlert, CircleCheck, CircleMinus, CircleX } from "lucide-react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Dialog } from "@/components/ui/dialog";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { useTestAzureTenant } from "@/lib/queries/azure-tenants/use-azure-tenants";
import { type TAzureTenantDto, type TAzureTestStep } from "@/lib/schemas/azure-tenants";

const ICON = { ok: CircleCheck, warning: CircleAlert, failed: CircleX, skipped: CircleMinus } as const;
const TONE = { ok: "text-success", warning: "text-warning", failed: "text-danger", skipped: "text-muted" } as const;
const WORD = { ok: "OK", warning: "Warning", failed: "Failed", skipped: "Skipped" } as const;

function Step({ step }: { step: TAzureTestStep }) {
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

/** Runs "Test connection" when opened: token, subscriptions (discovered and stored), Security Reader, Resource Graph. */
export function TenantTestDialog({ tenant, onClose }: { tenant: TAzureTenantDto; onClose: () => void }) {
  const test = useTestAzureTenant();
  const { mutate } = test;
  useEffect(() => {
    mutate(tenant.id);
  }, [tenant.id, mutate]);

  return (
    <Dialog
      open
      onClose={onClose}
      title={`Test connection: ${tenant.name}`}
      description={`${tenant.authorityHost} · ${tenant.armEndpoint}`}
      footer={
        <>
          <Button onClick={() => test.mutate(tenant.id)} isLoading={test.isPending}>
            Test again
          </Button>
          <Button variant="primary" onClick={onClose}>
            Close
          </Button>
        </>
      }
    >
      {test.isPending ? (
        <LoadingState label="Getting a token and checking permissions…" />
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
          {test.data.subscriptions.length > 0 ? (
            <p className="mt-3 text-xs text-muted">
              {test.data.subscriptions.filter((s) => s.isIncluded).length} of {test.data.subscriptions.length} subscriptions are ingested; change the choice with Edit.
            </p>
          ) : null}
        </div>
      ) : null}
    </Dialog>
  );
}
