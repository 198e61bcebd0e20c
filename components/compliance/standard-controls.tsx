"use client";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { HeadRow, Table, TBody, TD, TR } from "@/components/ui/table";
import { useSearchState } from "@/components/ui/use-search-state";
import { useComplianceStandard } from "@/lib/queries/compliance/use-compliance";
import { ControlStateBadge } from "./control-state";

/** A standard's controls, failing first; choosing one opens its assessments below. */
export function StandardControls({
  standard,
  selected,
  subscriptionId,
}: {
  standard: string;
  selected: string | null;
  subscriptionId: string | null;
}) {
  const { update } = useSearchState();
  const result = useComplianceStandard(standard, subscriptionId);
  return (
    <section aria-labelledby="controls-title" className="border-t border-border">
      <h3 id="controls-title" className="px-4 pt-3 text-sm font-semibold">
        Controls of {standard}
      </h3>
      {result.isPending ? (
        <LoadingState label="Loading the controls…" />
      ) : result.isError ? (
        <ErrorState title="The controls could not be loaded" error={result.error} onRetry={() => result.refetch()} />
      ) : (
        <Table caption={`Controls of ${standard}`} className="max-h-[28rem] overflow-y-auto print:max-h-none">
          <HeadRow
            columns={["Control", "Description", "State", "Failed assessments", "Passed assessments", "Failing in"]}
            numeric={["Failed assessments", "Passed assessments", "Failing in"]}
          />
          <TBody>
            {result.data.controls.map((c) => (
              <TR key={c.name} isSelected={c.name === selected}>
                <TD className="whitespace-nowrap">
                  <button
                    type="button"
                    className="font-mono text-xs text-accent hover:underline"
                    aria-expanded={c.name === selected}
                    aria-label={`Control ${c.name}: ${c.state}`}
                    onClick={() => update({ control: c.name === selected ? null : c.name })}
                  >
                    {c.name}
                  </button>
                </TD>
                <TD className="max-w-xl text-xs">{c.description || <span className="text-muted">—</span>}</TD>
                <TD>
                  <ControlStateBadge state={c.state} />
                </TD>
                <TD className="text-right tabular">{c.failedAssessments}</TD>
                <TD className="text-right tabular">{c.passedAssessments}</TD>
                <TD className="text-right text-xs tabular">
                  {c.failingSubscriptions > 0 ? `${c.failingSubscriptions} subscription${c.failingSubscriptions === 1 ? "" : "s"}` : "—"}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </section>
  );
}
