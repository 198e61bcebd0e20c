"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { SelectField } from "@/components/ui/field";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { useTableSchema } from "@/lib/queries/connections/use-connections";
import { TICKET_TYPE_LABEL, TICKET_TYPES, type TTicketType } from "@/lib/schemas/connections";
import { type TDiscoveredField, type TFieldDefaults } from "@/lib/schemas/instance-schema";
import { InstanceFieldInput, isEnforced } from "./instance-field-input";

const TEMPLATE_HINT =
  "Text or a template: {{recommendation.name}}, {{severity}}, {{subscription.name}}, {{resource.id}}, {{resource.group}}, {{tag:owner}}";
/** Filled from the ticket form and the connection's own settings, or by ServiceNow. */
const NOT_DEFAULTABLE =
  /^(sys_.*|number|active|priority|state|incident_state|opened_at|opened_by|closed_at|closed_by|resolved_at|resolved_by|correlation_id|correlation_display|work_notes|comments|short_description|description|impact|urgency|due_date|assignment_group|assigned_to|caller_id|type)$/;

/**
 * "Field defaults": per ticket table, the values every new ticket gets, built from the instance's
 * discovered schema — fields ServiceNow requires first, choice fields as selects of the instance's own
 * choices, a template hint on text fields.
 */
export function FieldDefaultsEditor({
  connectionId,
  value,
  onChange,
  fieldError,
}: {
  connectionId: string;
  value: TFieldDefaults;
  onChange: (next: TFieldDefaults) => void;
  fieldError: (path: string) => string | undefined;
}) {
  const [table, setTable] = useState<TTicketType>("incident");
  const [adding, setAdding] = useState("");
  const schema = useTableSchema(connectionId, table);
  const defaults = value[table] ?? {};
  const setField = (name: string, v: string | null) => {
    const next = { ...defaults };
    if (v === null) delete next[name];
    else next[name] = v;
    onChange({ ...value, [table]: next });
  };

  const fields = schema.data?.fields ?? [];
  const editable = fields.filter((f) => !f.isReadOnly && !NOT_DEFAULTABLE.test(f.name));
  const shown: TDiscoveredField[] = editable.filter((f) => isEnforced(f) || Object.hasOwn(defaults, f.name));
  const unknownDefaults = Object.keys(defaults).filter((name) => !fields.some((f) => f.name === name));
  const addable = editable.filter((f) => !shown.includes(f));

  return (
    <fieldset className="space-y-3" aria-describedby="field-defaults-help">
      <legend className="mb-1 text-sm font-semibold">Field defaults</legend>
      <p id="field-defaults-help" className="text-xs text-muted">
        Values every new ticket of the table gets, checked against this instance. Fields ServiceNow requires on insert come first.
      </p>
      <SelectField
        label="Table"
        value={table}
        onChange={(e) => setTable(e.target.value as TTicketType)}
        containerClassName="max-w-xs"
        options={TICKET_TYPES.map((t) => [t, TICKET_TYPE_LABEL[t]] as const)}
      />
      {schema.isPending ? (
        <LoadingState label="Reading the instance's fields…" />
      ) : schema.isError ? (
        <ErrorState error={schema.error} onRetry={() => schema.refetch()} />
      ) : (
        <div className="space-y-3" data-testid={`field-defaults-${table}`}>
          {schema.data.notes.length ? (
            <ul className="rounded border border-warning bg-warning-soft px-3 py-2 text-xs">
              {schema.data.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          ) : null}
          {shown.length === 0 ? <p className="text-sm text-muted">No field is required on insert and no default is set.</p> : null}
          <div className="grid gap-3 sm:grid-cols-2">
            {shown.map((f) => (
              <div key={f.name} className="flex items-end gap-2">
                <div className="flex-1">
                  <InstanceFieldInput
                    field={f}
                    value={defaults[f.name] ?? ""}
                    onChange={(v) => setField(f.name, v)}
                    error={fieldError(`fieldDefaults.${table}.${f.name}`)}
                    templateHint={f.choices?.length ? undefined : TEMPLATE_HINT}
                  />
                </div>
                {Object.hasOwn(defaults, f.name) ? (
                  <Button size="sm" aria-label={`Remove the default of ${f.label}`} onClick={() => setField(f.name, null)}>
                    Remove
                  </Button>
                ) : null}
              </div>
            ))}
          </div>
          {unknownDefaults.map((name) => (
            <p key={name} role="alert" className="text-sm text-danger">
              The default for {name} names a field this instance does not have.{" "}
              <button type="button" className="underline" onClick={() => setField(name, null)}>
                Remove it
              </button>
            </p>
          ))}
          {addable.length ? (
            <div className="flex items-end gap-2">
              <SelectField
                label="Add a default for"
                value={adding}
                onChange={(e) => setAdding(e.target.value)}
                containerClassName="max-w-sm"
              >
                <option value="">Choose a field…</option>
                {addable.map((f) => (
                  <option key={f.name} value={f.name}>
                    {f.label} ({f.name})
                  </option>
                ))}
              </SelectField>
              <Button
                size="sm"
                disabled={!adding}
                onClick={() => {
                  setField(adding, "");
                  setAdding("");
                }}
              >
                Add
              </Button>
            </div>
          ) : null}
        </div>
      )}
    </fieldset>
  );
}
