"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { useToast } from "@/components/ui/toast";
import { useDryRun, useUpdateRule } from "@/lib/queries/rules/use-rules";
import { type TRuleDto } from "@/lib/schemas/rules";
import { DryRunResult } from "./dry-run-result";

/** A saved rule's dry run: exactly the tickets the next sync would create for it, with "Enable rule". */
export function DryRunDialog({ rule, onClose }: { rule: TRuleDto; onClose: () => void }) {
  const [paging, setPaging] = useState({ page: 1, pageSize: 25 });
  const query = useDryRun(rule.id, paging);
  const update = useUpdateRule();
  const { toast } = useToast();
  const enable = () =>
    update.mutate(
      { id: rule.id, input: { enabled: true } },
      {
        onSuccess: () => {
          toast({
            tone: "success",
            title: `Rule "${rule.name}" enabled`,
            description: "It creates these tickets at the connection's next sync.",
          });
          onClose();
        },
        onError: (error) => toast({ tone: "error", title: "The rule could not be enabled", description: error.message }),
      },
    );
  return (
    <Dialog
      open
      size="lg"
      onClose={onClose}
      title={`Dry run: ${rule.name}`}
      description={
        rule.enabled
          ? "What this rule would create at the next sync. Nothing is created now."
          : "What this rule would create if it were enabled now, behind the enabled rules with lower priority numbers. Nothing is created now."
      }
      footer={
        <>
          <Button onClick={onClose}>Close</Button>
          {rule.enabled ? null : (
            <Button variant="primary" onClick={enable} isLoading={update.isPending}>
              Enable rule
            </Button>
          )}
        </>
      }
    >
      {query.isError ? (
        <ErrorState title="The dry run failed" error={query.error} onRetry={() => query.refetch()} />
      ) : query.data ? (
        <DryRunResult
          result={query.data}
          onPage={(page) => setPaging((p) => ({ ...p, page }))}
          onPageSize={(pageSize) => setPaging({ page: 1, pageSize })}
        />
      ) : (
        <LoadingState label="Planning tickets…" />
      )}
    </Dialog>
  );
}
