"use client";
import { TestConnectionDialog } from "@/components/connections/test-dialog";
import { useTestConnection } from "@/lib/queries/connections/use-connections";
import { type TServiceNowConnectionDto } from "@/lib/schemas/connections";

/** Runs "Test connection" when opened and lists each check with what to fix. */
export function ConnectionTestDialog({ connection, onClose }: { connection: TServiceNowConnectionDto; onClose: () => void }) {
  return (
    <TestConnectionDialog
      id={connection.id}
      name={connection.name}
      description={connection.instanceUrl}
      test={useTestConnection()}
      loadingLabel="Signing in and checking permissions…"
      note={() => (
        <p className="mt-3 text-xs text-muted">Write permissions are confirmed by ServiceNow when the first ticket is created.</p>
      )}
      onClose={onClose}
    />
  );
}
