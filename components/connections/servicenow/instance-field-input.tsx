"use client";
import { SelectField, TextField } from "@/components/ui/field";
import { type TDiscoveredField } from "@/lib/schemas/instance-schema";

const SOURCE_LABEL = {
  data_policy: "required by a data policy",
  learned: "required (learned from ServiceNow's refusal)",
  dictionary: "mandatory on the form only",
} as const;

/** Why a field is flagged, in words (null when it is not). */
export function mandatoryNote(field: TDiscoveredField): string | null {
  return field.mandatorySource ? SOURCE_LABEL[field.mandatorySource] : null;
}

export const isEnforced = (f: TDiscoveredField) => f.mandatorySource === "data_policy" || f.mandatorySource === "learned";

/**
 * One instance field as a form control: a select of the instance's own choices for a choice field, a
 * text input otherwise (templates allowed where `templateHint` is given).
 */
export function InstanceFieldInput({
  field,
  value,
  onChange,
  error,
  templateHint,
}: {
  field: TDiscoveredField;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  templateHint?: string;
}) {
  const label = `${field.label} (${field.name})`;
  const note = mandatoryNote(field);
  const hint = [note && isEnforced(field) ? note : null, templateHint].filter(Boolean).join(" · ") || undefined;
  if (field.choices?.length) {
    return (
      <SelectField
        label={label}
        required={isEnforced(field)}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        error={error}
        hint={hint}
      >
        <option value="">— none —</option>
        {field.choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </SelectField>
    );
  }
  return (
    <TextField
      label={label}
      required={isEnforced(field)}
      value={value}
      maxLength={templateHint ? 4000 : field.maxLength}
      onChange={(e) => onChange(e.target.value)}
      error={error}
      hint={hint}
    />
  );
}
