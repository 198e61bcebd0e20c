"use client";
import { TestConnectionDialog } from "@/components/connections/test-dialog";
import { useTestAzureTenant } from "@/lib/queries/azure-tenants/use-azure-tenants";
import { type TAzureTenantDto } from "@/lib/schemas/azure-tenants";
import { type TestDialogProps } from "../connection-list";

/** Runs "Test connection" when opened: token, subscriptions (discovered and stored), Security Reader, Resource Graph. */
export function TenantTestDialog({ record: tenant, onClose }: TestDialogProps<TAzureTenantDto>) {
  return (
    <TestConnectionDialog
      id={tenant.id}
      name={tenant.name}
      description={`${tenant.authorityHost} · ${tenant.armEndpoint}`}
      test={useTestAzureTenant()}
      loadingLabel="Getting a token and checking permissions…"
      note={(result) =>
        result.subscriptions.length > 0 ? (
          <p className="mt-3 text-xs text-muted">
            {ingestedNote(result.subscriptions.filter((s) => s.isIncluded).length, result.subscriptions.length)} Change the choice with
            Edit.
          </p>
        ) : null
      }
      onClose={onClose}
    />
  );
}

/** "The only subscription is ingested." / "2 of 3 subscriptions are ingested." */
export function ingestedNote(included: number, total: number): string {
  if (total === 1) return included === 1 ? "The only subscription it sees is ingested." : "The only subscription it sees is not ingested.";
  return `${included} of ${total} subscriptions are ingested.`;
}
