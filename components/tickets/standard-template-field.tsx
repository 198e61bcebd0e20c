"use client";
import { SelectField } from "@/components/ui/field";
import { useChangeTemplates } from "@/lib/queries/tickets/use-tickets";

/**
 * The standard change template of a standard change request, picked from the instance's own list
 * (Change Management API). Without the API the change is created through the Table API and no
 * template applies: the field says so instead of offering a choice.
 */
export function StandardTemplateField({
  connectionId,
  value,
  onChange,
  error,
}: {
  connectionId: string | null;
  value: string;
  onChange: (sysId: string) => void;
  error?: string;
}) {
  const templates = useChangeTemplates(connectionId);
  const isAbsent = templates.data?.isChangeApiInstalled === false;
  const hint = templates.isError
    ? "The templates could not be read from ServiceNow."
    : isAbsent
      ? "This instance has no Change Management API: the change is created without a template."
      : "Pre-approved template from ServiceNow; its plans are used as they are.";
  return (
    <SelectField
      label="Standard change template"
      required={!isAbsent}
      value={value}
      disabled={templates.isPending || isAbsent || templates.isError}
      onChange={(e) => onChange(e.target.value)}
      error={error}
      hint={hint}
      containerClassName="sm:col-span-2"
    >
      <option value="">{templates.isPending ? "Loading templates…" : isAbsent ? "No templates (Table API)" : "Choose a template"}</option>
      {templates.data?.items.map((t) => (
        <option key={t.sysId} value={t.sysId}>
          {t.name}
          {t.category ? ` (${t.category})` : ""}
        </option>
      ))}
    </SelectField>
  );
}
