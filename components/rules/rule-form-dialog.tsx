"use client";
import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { CheckboxField, SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { formatCount } from "@/lib/format/number";
import { FormError, useFormErrors } from "@/components/ui/form-error";
import { dryRunDraft } from "@/lib/queries/rules/api";
import { useCreateRule, useUpdateRule } from "@/lib/queries/rules/use-rules";
import { type TRuleDto, type TRuleFormOptions } from "@/lib/schemas/rules";
import { DryRunResult } from "./dry-run-result";
import { RuleActionFields } from "./rule-action-fields";
import { RuleConditionsFields } from "./rule-conditions-fields";
import { initialValues, ruleFields, type RuleFormValues, toCreateInput, toUpdateInput } from "./rule-form-values";

/** Create or edit a rule; "Preview" dry-runs the form as typed, before anything is saved. */
export function RuleFormDialog({
  rule,
  connectionId,
  options,
  onClose,
}: {
  rule: TRuleDto | null;
  connectionId: string;
  options: TRuleFormOptions;
  onClose: () => void;
}) {
  const isNew = rule === null;
  const [values, setValues] = useState<RuleFormValues>(() => initialValues(rule, connectionId));
  const create = useCreateRule();
  const update = useUpdateRule();
  const previewRef = useRef<HTMLElement>(null);
  const preview = useMutation({
    mutationFn: (v: RuleFormValues) =>
      dryRunDraft({ ...toCreateInput(v), ...(rule ? { ruleId: rule.id } : {}) }, { page: 1, pageSize: 10 }),
  });
  // The results render below a long form: once they are committed to the page, bring them into view and
  // move focus there (screen readers read the summary), or the click seems to do nothing.
  useEffect(() => {
    if (!preview.data) return;
    previewRef.current?.scrollIntoView({ block: "start", behavior: "smooth" });
    previewRef.current?.focus({ preventScroll: true });
  }, [preview.data]);
  const mutation = isNew ? create : update;
  const { toast } = useToast();
  const set = <K extends keyof RuleFormValues>(key: K, value: RuleFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const { error, fieldError } = useFormErrors(mutation.error, preview.error);
  const { text, checkbox } = ruleFields(values, set, fieldError);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    preview.reset();
    const onSuccess = (saved: TRuleDto) => {
      toast({
        tone: "success",
        title: isNew ? `Rule "${saved.name}" created` : `Rule "${saved.name}" saved`,
        description: saved.enabled ? "It applies at the connection's next sync." : "It is disabled: dry-run it, then enable it.",
      });
      onClose();
    };
    if (isNew) create.mutate(toCreateInput(values), { onSuccess });
    else update.mutate({ id: rule.id, input: toUpdateInput(values, initialValues(rule, connectionId)) }, { onSuccess });
  };

  return (
    <Dialog
      open
      size="lg"
      onClose={onClose}
      title={isNew ? "New automation rule" : `Edit rule "${rule.name}"`}
      description="Rules create tickets for unhealthy findings that have none, during each sync of the connection. The enabled rule with the lowest priority number that matches a finding takes it."
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button onClick={() => preview.mutate(values)} isLoading={preview.isPending}>
            Preview (dry run)
          </Button>
          <Button variant="primary" type="submit" form="rule-form" isLoading={mutation.isPending}>
            {isNew ? "Create rule" : "Save"}
          </Button>
        </>
      }
    >
      <form id="rule-form" onSubmit={submit} className="space-y-5" noValidate aria-label="Rule">
        <FormError error={error} />
        <fieldset className="grid gap-3 sm:grid-cols-2">
          <legend className="mb-2 text-sm font-semibold">Rule</legend>
          <TextField label="Name" required {...text("name")} />
          <SelectField label="ServiceNow connection" {...text("connectionId")}>
            {options.connections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
                {c.itsmEnabled ? "" : " (ITSM off)"}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Priority"
            type="number"
            min={1}
            {...text("priority")}
            hint="Lower numbers are evaluated first; unique per connection. Empty: after the last rule."
          />
          {isNew ? (
            <CheckboxField
              className="self-center"
              label="Enable now"
              hint="Usually: create disabled, dry-run, then enable."
              {...checkbox("enabled")}
            />
          ) : null}
          <TextAreaField containerClassName="sm:col-span-2" className="min-h-16" label="Description" {...text("description")} />
        </fieldset>
        <RuleConditionsFields values={values} set={set} options={options} fieldError={fieldError} />
        <RuleActionFields values={values} set={set} options={options} fieldError={fieldError} />
        {preview.data ? (
          <section
            ref={previewRef}
            tabIndex={-1}
            aria-label="Dry run preview"
            className="space-y-2 rounded outline-none focus-visible:ring-2 focus-visible:ring-accent"
          >
            <h3 className="text-sm font-semibold">Dry run preview</h3>
            <DryRunResult result={preview.data} />
            {preview.data.total > preview.data.items.length ? (
              <p className="text-xs text-muted">
                First {preview.data.items.length} of {formatCount(preview.data.total)} tickets.
              </p>
            ) : null}
          </section>
        ) : null}
      </form>
    </Dialog>
  );
}
