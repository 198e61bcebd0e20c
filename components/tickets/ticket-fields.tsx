"use client";
import { type ChangeEvent } from "react";
import { CheckboxField, SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { CHANGE_TYPES, type TChangeType, type TCreateTicketType, type TTicketFields, type TTicketOverrides } from "@/lib/schemas/tickets";
import { DirectoryPicker } from "./directory-picker";
import { StandardTemplateField } from "./standard-template-field";

export type TicketFormValues = {
  shortDescription: string;
  description: string;
  impact: number;
  urgency: number;
  assignmentGroup: string;
  assignedTo: string;
  callerId: string;
  /** YYYY-MM-DD */
  dueDate: string;
  gracePeriod: boolean;
  changeType: TChangeType;
  /** Standard changes: the template picked from the instance's list. */
  standardTemplateId: string;
  workNotes: string;
};

export function valuesOf(fields: TTicketFields): TicketFormValues {
  return {
    shortDescription: fields.shortDescription,
    description: fields.description,
    impact: fields.impact,
    urgency: fields.urgency,
    assignmentGroup: fields.assignmentGroup ?? "",
    assignedTo: fields.assignedTo ?? "",
    callerId: fields.callerId ?? "",
    dueDate: fields.dueDate.slice(0, 10),
    gracePeriod: fields.gracePeriod,
    changeType: fields.changeType ?? "normal",
    standardTemplateId: "",
    workNotes: "",
  };
}

/** Only what the analyst changed is sent: the server recomputes the rest exactly as it prefilled it. */
export function overridesOf(
  values: TicketFormValues,
  prefilled: TicketFormValues,
  type: TCreateTicketType,
  hasSharedText: boolean,
): TTicketOverrides {
  const o: TTicketOverrides = {};
  if (hasSharedText && values.shortDescription !== prefilled.shortDescription) o.shortDescription = values.shortDescription.trim();
  if (hasSharedText && values.description !== prefilled.description) o.description = values.description;
  if (values.impact !== prefilled.impact) o.impact = values.impact;
  if (values.urgency !== prefilled.urgency) o.urgency = values.urgency;
  if (values.assignmentGroup.trim() && values.assignmentGroup !== prefilled.assignmentGroup)
    o.assignmentGroup = values.assignmentGroup.trim();
  if (values.assignedTo.trim()) o.assignedTo = values.assignedTo.trim();
  if (type === "incident" && values.callerId.trim() && values.callerId !== prefilled.callerId) o.callerId = values.callerId.trim();
  if (values.dueDate && values.dueDate !== prefilled.dueDate) o.dueDate = values.dueDate;
  if (values.gracePeriod !== prefilled.gracePeriod) o.gracePeriod = values.gracePeriod;
  if (type === "change_request") o.changeType = values.changeType;
  if (type === "change_request" && values.changeType === "standard" && values.standardTemplateId)
    o.standardTemplateId = values.standardTemplateId;
  if (values.workNotes.trim()) o.workNotes = values.workNotes.trim();
  return o;
}

const LEVELS = [
  ["1", "1 – High"],
  ["2", "2 – Medium"],
  ["3", "3 – Low"],
] as const;

export function TicketFields({
  values,
  onChange,
  type,
  connectionId,
  hasSharedText,
  ticketCount,
  fieldError,
}: {
  values: TicketFormValues;
  onChange: (patch: Partial<TicketFormValues>) => void;
  type: TCreateTicketType;
  connectionId: string | null;
  hasSharedText: boolean;
  ticketCount: number;
  fieldError: (field: string) => string | undefined;
}) {
  const priority = Math.min(5, Math.max(1, values.impact + values.urgency - 1));
  const set = <K extends keyof TicketFormValues>(key: K, value: TicketFormValues[K]) =>
    onChange({ [key]: value } as Partial<TicketFormValues>);
  /** A text field bound to `key`, with the API's error for it. */
  const text = (key: "shortDescription" | "description" | "dueDate" | "workNotes") => ({
    value: values[key],
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => set(key, e.target.value),
    error: fieldError(key),
  });
  /** A ServiceNow record picked by name (group, user, template) bound to `key`. */
  const picked = (key: "assignmentGroup" | "assignedTo" | "callerId" | "standardTemplateId") => ({
    value: values[key],
    onChange: (v: string) => set(key, v),
    error: fieldError(key),
  });
  /** The impact or urgency select. */
  const level = (key: "impact" | "urgency") => ({
    value: values[key],
    onChange: (e: ChangeEvent<HTMLSelectElement>) => set(key, Number(e.target.value)),
    options: LEVELS,
  });
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      {hasSharedText ? (
        <>
          <TextField label="Short description" required maxLength={160} {...text("shortDescription")} containerClassName="sm:col-span-2" />
          <TextAreaField
            label="Description"
            rows={8}
            {...text("description")}
            containerClassName="sm:col-span-2"
            className="font-mono text-xs"
          />
        </>
      ) : (
        <p className="text-sm text-muted sm:col-span-2">
          Each of the {ticketCount} tickets gets its own short description and description naming its resource, for example:{" "}
          <q>{values.shortDescription}</q>
        </p>
      )}
      <SelectField label="Impact" {...level("impact")} />
      <SelectField label="Urgency" {...level("urgency")} hint={`Priority ${priority} in ServiceNow`} />
      <DirectoryPicker connectionId={connectionId} kind="groups" label="Assignment group" {...picked("assignmentGroup")} />
      <DirectoryPicker
        connectionId={connectionId}
        kind="users"
        label="Assigned to"
        {...picked("assignedTo")}
        hint="Looked up in ServiceNow; becomes the owner in Defender"
      />
      {type === "incident" ? <DirectoryPicker connectionId={connectionId} kind="users" label="Caller" {...picked("callerId")} /> : null}
      {type === "change_request" ? (
        <SelectField
          label="Change type"
          value={values.changeType}
          onChange={(e) => set("changeType", e.target.value as TChangeType)}
          options={CHANGE_TYPES.map((t) => [t, t.charAt(0).toUpperCase() + t.slice(1)] as const)}
        />
      ) : null}
      {type === "change_request" && values.changeType === "standard" ? (
        <StandardTemplateField connectionId={connectionId} {...picked("standardTemplateId")} />
      ) : null}
      <TextField label="Due date" type="date" {...text("dueDate")} hint="From the severity's remediation timeframe" />
      <CheckboxField
        className="self-end"
        label="Grace period"
        hint="Defender does not count the finding against the secure score until the due date"
        checked={values.gracePeriod}
        onChange={(e) => set("gracePeriod", e.target.checked)}
      />
      <TextAreaField label="Work notes (optional)" rows={2} {...text("workNotes")} containerClassName="sm:col-span-2" />
    </div>
  );
}
