"use client";
import { CheckboxField, SelectField, TextField } from "@/components/ui/field";
import { FormDialog, FormSection, useRecordForm, type RecordFormSpec } from "@/components/ui/record-form";
import { type FormDialogProps } from "../connection-list";
import { useCreateConnection, useTableSchema, useUpdateConnection } from "@/lib/queries/connections/use-connections";
import { type TFieldDefaults } from "@/lib/schemas/instance-schema";
import {
  DEFAULT_SEVERITY_MAPPING,
  TICKET_TYPE_LABEL,
  TICKET_TYPES,
  type TCreateConnectionInput,
  type TServiceNowConnectionDto,
  type TSeverityMapping,
  type TTicketType,
  type TUpdateConnection,
} from "@/lib/schemas/connections";
import { DirectoryPicker } from "@/components/tickets/directory-picker";
import { FieldDefaultsEditor } from "./field-defaults-editor";
import { SeverityMappingFields } from "./severity-mapping-fields";

type Values = {
  name: string;
  instanceUrl: string;
  allowPrivateNetwork: boolean;
  authType: "basic" | "oauth";
  username: string;
  password: string;
  oauthClientId: string;
  oauthClientSecret: string;
  itsmEnabled: boolean;
  ccEnabled: boolean;
  defaultTable: TTicketType;
  defaultAssignmentGroup: string;
  defaultCallerId: string;
  severityMapping: TSeverityMapping;
  closeCode: string;
  fieldDefaults: TFieldDefaults;
  syncIntervalMinutes: number;
  regressionPolicy: "reopen" | "new_ticket";
  correlationPrefix: string;
  webhookSecret: string;
  governanceOwnerEmails: boolean;
  governanceManagerEmails: boolean;
};

function initial(c: TServiceNowConnectionDto | null): Values {
  return {
    name: c?.name ?? "",
    instanceUrl: c?.instanceUrl ?? "https://",
    allowPrivateNetwork: c?.allowPrivateNetwork ?? false,
    authType: c?.authType ?? "basic",
    username: c?.username ?? "",
    password: "",
    oauthClientId: c?.oauthClientId ?? "",
    oauthClientSecret: "",
    itsmEnabled: c?.itsmEnabled ?? true,
    ccEnabled: c?.ccEnabled ?? false,
    defaultTable: c?.defaultTable ?? "incident",
    defaultAssignmentGroup: c?.defaultAssignmentGroup ?? "",
    defaultCallerId: c?.defaultCallerId ?? "",
    severityMapping: c?.severityMapping ?? DEFAULT_SEVERITY_MAPPING,
    closeCode: c?.closeCode ?? "Solution provided",
    fieldDefaults: c?.fieldDefaults ?? {},
    syncIntervalMinutes: c?.syncIntervalMinutes ?? 1440,
    regressionPolicy: c?.regressionPolicy ?? "reopen",
    correlationPrefix: c?.correlationPrefix ?? "posturedesk",
    webhookSecret: "",
    governanceOwnerEmails: c?.governanceOwnerEmails ?? true,
    governanceManagerEmails: c?.governanceManagerEmails ?? true,
  };
}

/** What the API receives: empty optional texts become null, secrets only when typed (write-only). */
function toCreate(v: Values): TCreateConnectionInput {
  return {
    name: v.name,
    instanceUrl: v.instanceUrl,
    allowPrivateNetwork: v.allowPrivateNetwork,
    authType: v.authType,
    username: v.username,
    password: v.password,
    ...(v.authType === "oauth" ? { oauthClientId: v.oauthClientId || undefined, oauthClientSecret: v.oauthClientSecret || undefined } : {}),
    itsmEnabled: v.itsmEnabled,
    ccEnabled: v.ccEnabled,
    defaultTable: v.defaultTable,
    defaultAssignmentGroup: v.defaultAssignmentGroup.trim() || null,
    defaultCallerId: v.defaultCallerId.trim() || null,
    severityMapping: v.severityMapping,
    closeCode: v.closeCode,
    syncIntervalMinutes: v.syncIntervalMinutes,
    regressionPolicy: v.regressionPolicy,
    correlationPrefix: v.correlationPrefix,
    governanceOwnerEmails: v.governanceOwnerEmails,
    governanceManagerEmails: v.governanceManagerEmails,
    ...(v.webhookSecret ? { webhookSecret: v.webhookSecret } : {}),
  };
}

function toUpdate(v: Values, before: Values): TUpdateConnection {
  const full = toCreate(v) as Record<string, unknown>;
  const old = toCreate(before) as Record<string, unknown>;
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(full)) {
    if (["password", "oauthClientSecret", "webhookSecret"].includes(key)) continue;
    if (JSON.stringify(value) !== JSON.stringify(old[key])) changes[key] = value;
  }
  if (v.authType === "oauth" && (v.oauthClientId || null) !== (before.oauthClientId || null))
    changes.oauthClientId = v.oauthClientId || null;
  if (v.password) changes.password = v.password;
  if (v.oauthClientSecret) changes.oauthClientSecret = v.oauthClientSecret;
  if (v.webhookSecret) changes.webhookSecret = v.webhookSecret;
  const defaults = withoutEmpty(v.fieldDefaults);
  if (JSON.stringify(defaults) !== JSON.stringify(withoutEmpty(before.fieldDefaults))) changes.fieldDefaults = defaults;
  return changes as TUpdateConnection;
}

const FORM: RecordFormSpec<Values, TServiceNowConnectionDto, TCreateConnectionInput, TUpdateConnection> = {
  map: { initial, toCreate, toUpdate },
  add: { title: "Add a ServiceNow connection", label: "Add connection" },
  toast: { added: "Connection added", next: "Testing it now…", saved: "Connection saved" },
};

/** Defaults left empty in the editor are not defaults. */
function withoutEmpty(defaults: TFieldDefaults): TFieldDefaults {
  const out: TFieldDefaults = {};
  for (const [table, values] of Object.entries(defaults) as Array<[keyof TFieldDefaults, Record<string, string> | undefined]>) {
    const kept = Object.fromEntries(Object.entries(values ?? {}).filter(([, v]) => v.trim() !== ""));
    if (Object.keys(kept).length) out[table] = kept;
  }
  return out;
}

export function ConnectionFormDialog({ record: connection, onClose, onSaved }: FormDialogProps<TServiceNowConnectionDto>) {
  const form = useRecordForm(FORM, connection, { create: useCreateConnection(), update: useUpdateConnection() }, { onSaved, onClose });
  const { isNew, values, set, text, checkbox, secret, fieldError } = form;
  // Close codes come from the instance (incident.close_code choices) once it is discovered.
  const incidentSchema = useTableSchema(connection === null || !connection.itsmEnabled ? null : connection.id, "incident");
  const closeCodes = incidentSchema.data?.fields.find((f) => f.name === "close_code")?.choices ?? [];

  return (
    <FormDialog
      {...form.dialog}
      description="PostureDesk signs in as an integration user: give it the itil role (ITSM) and sn_vulc.read (to read Configuration Compliance)."
    >
      <FormSection legend="Instance">
        <TextField label="Name" required {...text("name")} />
        <TextField label="Instance URL" required type="url" {...text("instanceUrl")} hint="https://<instance>.service-now.com" />
        <CheckboxField
          className="sm:col-span-2"
          label="Allow a private or loopback address"
          hint="Only for a local test instance such as the bundled emulator; the server must also allow it (ALLOW_PRIVATE_NETWORK)."
          {...checkbox("allowPrivateNetwork")}
        />
      </FormSection>

      <FormSection legend="Sign-in">
        <SelectField label="Authentication" {...text("authType")}>
          <option value="basic">Basic (user name and password)</option>
          <option value="oauth">OAuth 2.0 (password grant, refreshed)</option>
        </SelectField>
        <TextField label="User name" required autoComplete="off" {...text("username")} />
        <TextField label="Password" required={isNew} {...secret("password", connection?.hasPassword ?? false)} />
        {values.authType === "oauth" ? (
          <>
            <TextField
              label="OAuth client id"
              required
              autoComplete="off"
              {...text("oauthClientId")}
              hint="System OAuth › Application Registry"
            />
            <TextField
              label="OAuth client secret"
              required={isNew || !connection?.hasOauthClientSecret}
              {...secret("oauthClientSecret", connection?.hasOauthClientSecret ?? false)}
            />
          </>
        ) : null}
      </FormSection>

      <FormSection legend="Tickets" columns={3}>
        <div className="flex flex-col gap-2 sm:col-span-3 sm:flex-row sm:gap-6">
          <CheckboxField label="ITSM (incidents, problems, change requests)" {...checkbox("itsmEnabled")} />
          <CheckboxField label="Configuration Compliance" {...checkbox("ccEnabled")} />
        </div>
        <SelectField
          label="Default ticket type"
          {...text("defaultTable")}
          options={TICKET_TYPES.map((t) => [t, TICKET_TYPE_LABEL[t]] as const)}
        />
        {connection === null ? (
          <>
            <TextField
              label="Default assignment group"
              {...text("defaultAssignmentGroup")}
              hint="Group name or sys_id (a list to pick from once saved)"
            />
            <TextField
              label="Default caller (incidents)"
              {...text("defaultCallerId")}
              hint="User name, e-mail or sys_id (a list to pick from once saved)"
            />
          </>
        ) : (
          <>
            {/* Searched with the saved credentials: the instance this connection already reaches. */}
            {(["groups", "users"] as const).map((kind) => {
              const key = kind === "groups" ? "defaultAssignmentGroup" : "defaultCallerId";
              return (
                <DirectoryPicker
                  key={kind}
                  connectionId={connection.id}
                  kind={kind}
                  label={kind === "groups" ? "Default assignment group" : "Default caller (incidents)"}
                  value={values[key]}
                  onChange={(v) => set(key, v)}
                  error={fieldError(key)}
                />
              );
            })}
          </>
        )}
      </FormSection>

      <SeverityMappingFields
        value={values.severityMapping}
        onChange={(m) => set("severityMapping", m)}
        error={fieldError("severityMapping")}
      />

      {connection !== null && connection.itsmEnabled ? (
        <FieldDefaultsEditor
          connectionId={connection.id}
          value={values.fieldDefaults}
          onChange={(d) => set("fieldDefaults", d)}
          fieldError={fieldError}
        />
      ) : null}

      <FormSection legend="Sync" columns={3}>
        <TextField
          label="Sync interval (minutes)"
          type="number"
          min={1}
          max={10080}
          {...form.number("syncIntervalMinutes")}
          hint="1440 = daily"
        />
        <fieldset className="sm:col-span-2 grid gap-2 sm:grid-cols-2">
          <legend className="mb-1 text-xs font-medium">
            Defender for Cloud e-mails for the governance assignments this connection writes
          </legend>
          <CheckboxField
            label="E-mail the owner"
            hint="Defender's weekly digest of the owner's open assignments"
            {...checkbox("governanceOwnerEmails")}
          />
          <CheckboxField
            label="E-mail the owner's manager"
            hint="When an assignment is overdue (as Defender's own ServiceNow integration, both are on by default)"
            {...checkbox("governanceManagerEmails")}
          />
        </fieldset>
        <SelectField label="When a fixed finding regresses" {...text("regressionPolicy")}>
          <option value="reopen">Reopen its ticket</option>
          <option value="new_ticket">Create a new ticket</option>
        </SelectField>
        {closeCodes.length ? (
          <SelectField
            label="Close code"
            {...text("closeCode")}
            hint="The instance's resolution codes; used when PostureDesk resolves an incident"
          >
            {closeCodes.some((c) => c.value === values.closeCode) ? null : (
              <option value={values.closeCode}>{values.closeCode} (not on this instance)</option>
            )}
            {closeCodes.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </SelectField>
        ) : (
          <TextField label="Close code" {...text("closeCode")} hint="Used when PostureDesk resolves a ticket" />
        )}
        <TextField
          label="Correlation prefix"
          {...text("correlationPrefix")}
          disabled={!isNew && (connection?.ticketCount ?? 0) > 0}
          hint="Starts the correlation_id of every ticket; fixed once tickets exist"
        />
        <TextField
          label="Webhook secret"
          {...secret("webhookSecret", connection?.hasWebhookSecret ?? false, "Signs ServiceNow's update notifications (optional)")}
          containerClassName="sm:col-span-2"
        />
      </FormSection>
    </FormDialog>
  );
}
