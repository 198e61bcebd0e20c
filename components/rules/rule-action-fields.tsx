"use client";
import { DirectoryPicker } from "@/components/tickets/directory-picker";
import { CheckboxField, SelectField, TextField } from "@/components/ui/field";
import { TICKET_TYPE_LABEL, TICKET_TYPES } from "@/lib/schemas/connections";
import { OWNER_SOURCES, RULE_GROUPING_LABEL, RULE_GROUPINGS, type TOwnerSource } from "@/lib/schemas/rules";
import { CHANGE_TYPES } from "@/lib/schemas/tickets";
import { type RuleFieldsProps, ruleFields } from "./rule-form-values";

type Props = RuleFieldsProps;

const OWNER_LABEL: Record<TOwnerSource, string> = { none: "No owner", fixed: "A fixed person", tag: "From a resource tag" };

/** The tickets the rule creates. */
export function RuleActionFields({ values, set, options, fieldError }: Props) {
  const connection = options.connections.find((c) => c.id === values.connectionId);
  const { text, picker, checkbox } = ruleFields(values, set, fieldError);
  return (
    <fieldset className="grid gap-3 sm:grid-cols-2">
      <legend className="mb-2 text-sm font-semibold">Action</legend>
      <SelectField
        label="Ticket type"
        {...text("table", "action.table")}
        options={TICKET_TYPES.map((t) => [t, TICKET_TYPE_LABEL[t]] as const)}
      />
      {values.table === "change_request" ? (
        <SelectField
          label="Change type"
          {...text("changeType", "action.changeType")}
          options={CHANGE_TYPES.map((t) => [t, t.charAt(0).toUpperCase() + t.slice(1)] as const)}
        />
      ) : null}
      <SelectField
        label="Grouping"
        {...text("grouping", "action.grouping")}
        hint="A ticket never covers more than 500 findings; larger groups are split."
        options={RULE_GROUPINGS.map((g) => [g, RULE_GROUPING_LABEL[g]] as const)}
      />
      <DirectoryPicker
        kind="groups"
        label="Assignment group"
        {...picker("assignmentGroup", "action.assignmentGroup")}
        hint={
          connection?.defaultAssignmentGroup
            ? `Empty: the connection's default (${connection.defaultAssignmentGroup})`
            : "Empty: no assignment group"
        }
      />
      <SelectField
        label="Owner"
        {...text("ownerSource", "action.ownerSource")}
        hint="The ticket's assignee and the Defender governance owner."
        options={OWNER_SOURCES.map((o) => [o, OWNER_LABEL[o]] as const)}
      />
      {values.ownerSource === "fixed" ? (
        <DirectoryPicker kind="users" label="Owner (person)" {...picker("ownerValue", "action.ownerValue")} />
      ) : values.ownerSource === "tag" ? (
        <TextField
          label="Owner tag"
          list="rule-tag-keys"
          {...text("ownerValue", "action.ownerValue")}
          hint="Tag holding the owner's e-mail; a group's most frequent value wins."
        />
      ) : null}
      <TextField
        label="Remediation timeframe (days)"
        type="number"
        min={1}
        max={365}
        {...text("remediationDays", "action.remediationDays")}
      />
      <CheckboxField
        className="sm:col-span-2"
        label="Grace period"
        hint="Defender does not count the findings against the secure score until the due date."
        {...checkbox("gracePeriod")}
      />
    </fieldset>
  );
}
