"use client";
import { TestConnectionDialog } from "@/components/connections/test-dialog";
import { useTestAzureTenant } from "@/lib/queries/azure-tenants/use-azure-tenants";
import { type TAzureTenantDto } from "@/lib/schemas/azure-tenants";

/** Runs "Test connection" when opened: token, subscriptions (discovered and stored), Security Reader, Resource Graph. */
export function TenantTestDialog({ tenant, onClose }: { tenant: TAzureTenantDto; onClose: () => void }) {
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
            {result.subscriptions.filter((s) => s.isIncluded).length} of {result.subscriptions.length} subscriptions are ingested; change
            the choice with Edit.
          </p>
        ) : null
      }
      onClose={onClose}
    />
  );
}
