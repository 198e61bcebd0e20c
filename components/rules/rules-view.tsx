"use client";
import { useState } from "react";
import { ArrowDown, ArrowUp, FlaskConical, Pencil, Plus, Trash2 } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { SelectField } from "@/components/ui/field";
import { EmptyState, ErrorState, SkeletonRows } from "@/components/ui/states";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { useSearchState } from "@/components/ui/use-search-state";
import { cn } from "@/components/ui/cn";
import { formatCount } from "@/lib/format/number";
import { useDeleteRule, useReorderRules, useRules, useUpdateRule } from "@/lib/queries/rules/use-rules";
import { type TRuleDto, type TRuleFormOptions } from "@/lib/schemas/rules";
import { DryRunDialog } from "./dry-run-dialog";
import { rulesFilterOf } from "./rule-filters";
import { RuleFormDialog } from "./rule-form-dialog";
import { describeAction, describeConditions } from "./rule-summary";

/** A connection's rules in evaluation order: enable/disable, reorder, dry run, edit, delete. */
export function RulesView({ options, defaultConnectionId }: { options: TRuleFormOptions; defaultConnectionId: string | null }) {
  const { get, update } = useSearchState();
  const connectionId = get("connectionId") ?? defaultConnectionId ?? undefined;
  const query = useRules(rulesFilterOf(connectionId));
  const [editing, setEditing] = useState<TRuleDto | "new" | null>(null);
  const [dryRun, setDryRun] = useState<TRuleDto | null>(null);
  const toggle = useUpdateRule();
  const remove = useDeleteRule();
  const reorder = useReorderRules();
  const { toast } = useToast();
  const recName = new Map(options.recommendations.map((r) => [r.key.toLowerCase(), r.displayName]));
  const subName = new Map(options.subscriptions.map((s) => [s.subscriptionId.toLowerCase(), s.displayName]));
  const rules = query.data?.items ?? [];
  const fail = (title: string) => (error: Error) => toast({ tone: "error", title, description: error.message });

  const move = (index: number, by: -1 | 1) => {
    const ids = rules.map((r) => r.id);
    const [moved] = ids.splice(index, 1);
    ids.splice(index + by, 0, moved!);
    reorder.mutate({ connectionId: connectionId!, ruleIds: ids }, { onError: fail("The rules could not be reordered") });
  };

  if (options.connections.length === 0) {
    return (
      <EmptyState
        title="No ServiceNow connection yet"
        description="Rules create tickets on a ServiceNow connection. Add one under Connections first."
      />
    );
  }
  return (
    <Card>
      <div className="flex flex-wrap items-end justify-between gap-3 border-b border-border p-3">
        <SelectField
          label="Connection"
          value={connectionId ?? ""}
          onChange={(e) => update({ connectionId: e.target.value })}
          containerClassName="w-72"
          options={options.connections.map((c) => [c.id, c.name] as const)}
        />
        <Button variant="primary" onClick={() => setEditing("new")} icon={<Plus aria-hidden className="size-4" />}>
          New rule
        </Button>
      </div>
      {query.isError ? (
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
      ) : (
        <Table caption="Automation rules, in evaluation order">
          <THead>
            <tr>
              <TH className="w-20">Priority</TH>
              <TH>Rule</TH>
              <TH>Matches</TH>
              <TH>Creates</TH>
              <TH className="text-right">Tickets</TH>
              <TH>State</TH>
              <TH className="text-right">
                <span className="sr-only">Actions</span>
              </TH>
            </tr>
          </THead>
          <TBody>
            {query.isPending ? (
              <SkeletonRows columns={7} rows={3} />
            ) : (
              rules.map((rule, i) => {
                const conditions = describeConditions(rule.conditions, {
                  recommendation: (k) => recName.get(k) ?? k,
                  subscription: (s) => subName.get(s) ?? s,
                });
                return (
                  <TR key={rule.id} className={cn(!rule.enabled && "text-muted")}>
                    <TD className="tabular">
                      <div className="flex items-center gap-1">
                        <span className="w-10">{rule.priority}</span>
                        <button
                          type="button"
                          aria-label={`Move "${rule.name}" up`}
                          disabled={i === 0 || reorder.isPending}
                          onClick={() => move(i, -1)}
                          className="rounded p-0.5 hover:text-fg disabled:opacity-30"
                        >
                          <ArrowUp aria-hidden className="size-3.5" />
                        </button>
                        <button
                          type="button"
                          aria-label={`Move "${rule.name}" down`}
                          disabled={i === rules.length - 1 || reorder.isPending}
                          onClick={() => move(i, 1)}
                          className="rounded p-0.5 hover:text-fg disabled:opacity-30"
                        >
                          <ArrowDown aria-hidden className="size-3.5" />
                        </button>
                      </div>
                    </TD>
                    <TD>
                      <div className="font-medium text-fg">{rule.name}</div>
                      {rule.description ? <div className="text-xs">{rule.description}</div> : null}
                      {rule.isValid ? null : <Badge tone="danger">Unreadable conditions: edit them</Badge>}
                    </TD>
                    <TD className="text-xs">
                      {conditions.length ? conditions.map((c) => <div key={c}>{c}</div>) : <span>Every unhealthy finding</span>}
                    </TD>
                    <TD className="max-w-80 text-xs">{describeAction(rule.action)}</TD>
                    <TD className="text-right tabular">{formatCount(rule.ticketCount)}</TD>
                    <TD>
                      <button
                        type="button"
                        role="switch"
                        aria-checked={rule.enabled}
                        aria-label={`Enable "${rule.name}"`}
                        disabled={toggle.isPending}
                        onClick={() =>
                          toggle.mutate(
                            { id: rule.id, input: { enabled: !rule.enabled } },
                            { onError: fail(rule.enabled ? "The rule could not be disabled" : "The rule could not be enabled") },
                          )
                        }
                        className="inline-flex items-center gap-2 text-xs"
                      >
                        <span
                          className={cn(
                            "relative inline-block h-4 w-7 rounded-full transition-colors",
                            rule.enabled ? "bg-accent" : "bg-border",
                          )}
                        >
                          <span
                            className={cn(
                              "absolute top-0.5 size-3 rounded-full bg-white transition-all",
                              rule.enabled ? "left-3.5" : "left-0.5",
                            )}
                          />
                        </span>
                        {rule.enabled ? "Enabled" : "Disabled"}
                      </button>
                    </TD>
                    <TD className="text-right whitespace-nowrap">
                      <Button
                        size="sm"
                        variant="ghost"
                        onClick={() => setDryRun(rule)}
                        icon={<FlaskConical aria-hidden className="size-3.5" />}
                        aria-label={`Dry run "${rule.name}"`}
                      >
                        Dry run
                      </Button>
                      <Button
                        size="sm"
                        variant="ghost"
                        onClick={() => setEditing(rule)}
                        icon={<Pencil aria-hidden className="size-3.5" />}
                        aria-label={`Edit "${rule.name}"`}
                      />
                      <Button
                        size="sm"
                        variant="ghost"
                        icon={<Trash2 aria-hidden className="size-3.5" />}
                        aria-label={`Delete "${rule.name}"`}
                        onClick={() => {
                          if (window.confirm(`Delete the rule "${rule.name}"? It stops creating tickets; tickets it created stay.`)) {
                            remove.mutate(rule.id, {
                              onSuccess: () => toast({ tone: "success", title: `Rule "${rule.name}" deleted` }),
                              onError: fail("The rule could not be deleted"),
                            });
                          }
                        }}
                      />
                    </TD>
                  </TR>
                );
              })
            )}
          </TBody>
        </Table>
      )}
      {query.data && rules.length === 0 ? (
        <EmptyState
          title="No rules on this connection"
          description="Create one, dry-run it to see the tickets it would create, then enable it."
        />
      ) : null}
      {editing ? (
        <RuleFormDialog
          rule={editing === "new" ? null : editing}
          connectionId={connectionId ?? ""}
          options={options}
          onClose={() => setEditing(null)}
        />
      ) : null}
      {dryRun ? <DryRunDialog rule={dryRun} onClose={() => setDryRun(null)} /> : null}
    </Card>
  );
}
