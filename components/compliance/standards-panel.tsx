"use client";
import { SectionCard } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/states";
import { HeadRow, Table, TBody, TD, TR } from "@/components/ui/table";
import { useSearchState } from "@/components/ui/use-search-state";
import { type TStandardSummary } from "@/lib/schemas/compliance";
import { ControlDetail } from "./control-detail";
import { ControlStateBadge, StateBar } from "./control-state";
import { StandardControls } from "./standard-controls";

/**
 * Regulatory standards with their controls passed / failed / skipped, and the drill-down: a standard
 * (the "Standard" filter, or a click on its name) lists its controls; a control lists its failing
 * assessments with the findings and tickets behind them. The selection lives in the URL.
 */
export function StandardsPanel({
  standards,
  standard,
  control,
  subscriptionId,
}: {
  standards: TStandardSummary[];
  standard: string | null;
  control: string | null;
  subscriptionId: string | null;
}) {
  const { update } = useSearchState();
  const shown = standard ? standards.filter((s) => s.name === standard) : standards;
  return (
    <SectionCard
      id="standards-title"
      className="break-inside-avoid"
      title="Regulatory standards"
      description="Controls per standard as Defender for Cloud assesses them; a control failing in any subscription in scope counts as failed."
    >
      {standards.length === 0 ? (
        <EmptyState
          title="No regulatory compliance data yet"
          description="Standards appear after a full Defender ingestion of a subscription with regulatory compliance enabled."
        />
      ) : (
        <Table caption="Regulatory standards">
          <HeadRow
            columns={["Standard", "State", "Passed", "Failed", "Skipped", "Unsupported", "Share of controls"]}
            numeric={["Passed", "Failed", "Skipped", "Unsupported"]}
            hidden={["Share of controls"]}
          />
          <TBody>
            {shown.map((s) => (
              <TR key={s.name} isSelected={s.name === standard}>
                <TD>
                  <button
                    type="button"
                    className="font-medium text-accent hover:underline"
                    aria-expanded={s.name === standard}
                    onClick={() => update({ standard: s.name === standard ? null : s.name, control: null })}
                  >
                    {s.name}
                  </button>
                </TD>
                <TD>
                  <ControlStateBadge state={s.state} />
                </TD>
                <TD className="text-right tabular">{s.passed}</TD>
                <TD className="text-right tabular">{s.failed > 0 ? <span className="font-semibold text-danger">{s.failed}</span> : 0}</TD>
                <TD className="text-right tabular">{s.skipped}</TD>
                <TD className="text-right tabular text-muted">{s.unsupported}</TD>
                <TD>
                  <StateBar passed={s.passed} failed={s.failed} skipped={s.skipped} />
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      {standard ? <StandardControls standard={standard} selected={control} subscriptionId={subscriptionId} /> : null}
      {standard && control ? <ControlDetail standard={standard} control={control} subscriptionId={subscriptionId} /> : null}
    </SectionCard>
  );
}
