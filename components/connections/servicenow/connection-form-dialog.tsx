"use client";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { CheckboxField, SelectField, TextField } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { FormError, useFormErrors } from "@/components/ui/form-error";
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

/** Defaults left empty in the editor are not defaults. */
function withoutEmpty(defaults: TFieldDefaults): TFieldDefaults {
  const out: TFieldDefaults = {};
  for (const [table, values] of Object.entries(defaults) as Array<[keyof TFieldDefaults, Record<string, string> | undefined]>) {
    const kept = Object.fromEntries(Object.entries(values ?? {}).filter(([, v]) => v.trim() !== ""));
    if (Object.keys(kept).length) out[table] = kept;
  }
  return out;
}

export function ConnectionFormDialog({
  connection,
  onClose,
  onSaved,
}: {
  connection: TServiceNowConnectionDto | null;
  onClose: () => void;
  onSaved: (saved: TServiceNowConnectionDto, isNew: boolean) => void;
}) {
  const isNew = connection === null;
  const [values, setValues] = useState<Values>(() => initial(connection));
  const create = useCreateConnection();
  const update = useUpdateConnection();
  const mutation = isNew ? create : update;
  const { toast } = useToast();
  const set = <K extends keyof Values>(key: K, value: Values[K]) => setValues((v) => ({ ...v, [key]: value }));
  const { error, fieldError } = useFormErrors(mutation.error);
  // Close codes come from the instance (incident.close_code choices) once it is discovered.
  const incidentSchema = useTableSchema(isNew || !connection.itsmEnabled ? null : connection.id, "incident");
  const closeCodes = incidentSchema.data?.fields.find((f) => f.name === "close_code")?.choices ?? [];
  const secretHint = (has: boolean) => (isNew ? undefined : has ? "Stored. Leave empty to keep it; type to replace it." : "Not set.");

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const onSuccess = (saved: TServiceNowConnectionDto) => {
      toast({
        tone: "success",
        title: isNew ? "Connection added" : "Connection saved",
        description: isNew ? "Testing it now…" : undefined,
      });
      onSaved(saved, isNew);
    };
    if (isNew) create.mutate(toCreate(values), { onSuccess });
    else update.mutate({ id: connection.id, input: toUpdate(values, initial(connection)) }, { onSuccess });
  };

  return (
    <Dialog
      open
      size="lg"
      onClose={onClose}
      title={isNew ? "Add a ServiceNow connection" : `Edit ${connection.name}`}
      description="PostureDesk signs in as an integration user: give it the itil role (ITSM) and sn_vulc.read (to read Configuration Compliance)."
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" form="servicenow-connection-form" isLoading={mutation.isPending}>
            {isNew ? "Add connection" : "Save"}
          </Button>
        </>
      }
    >
      <form id="servicenow-connection-form" onSubmit={submit} className="space-y-5" noValidate>
        <FormError error={error} />
        <fieldset className="grid gap-3 sm:grid-cols-2">
          <legend className="mb-2 text-sm font-semibold">Instance</legend>
          <TextField label="Name" required value={values.name} onChange={(e) => set("name", e.target.value)} error={fieldError("name")} />
          <TextField
            label="Instance URL"
            required
            type="url"
            value={values.instanceUrl}
            onChange={(e) => set("instanceUrl", e.target.value)}
            error={fieldError("instanceUrl")}
            hint="https://<instance>.service-now.com"
          />
          <CheckboxField
            className="sm:col-span-2"
            label="Allow a private or loopback address"
            hint="Only for a local test instance such as the bundled emulator; the server must also allow it (ALLOW_PRIVATE_NETWORK)."
            checked={values.allowPrivateNetwork}
            onChange={(e) => set("allowPrivateNetwork", e.target.checked)}
          />
        </fieldset>

        <fieldset className="grid gap-3 sm:grid-cols-2">
          <legend className="mb-2 text-sm font-semibold">Sign-in</legend>
          <SelectField
            label="Authentication"
            value={values.authType}
            onChange={(e) => set("authType", e.target.value as Values["authType"])}
          >
            <option value="basic">Basic (user name and password)</option>
            <option value="oauth">OAuth 2.0 (password grant, refreshed)</option>
          </SelectField>
          <TextField
            label="User name"
            required
            autoComplete="off"
            value={values.username}
            onChange={(e) => set("username", e.target.value)}
            error={fieldError("username")}
          />
          <TextField
            label="Password"
            required={isNew}
            type="password"
            autoComplete="new-password"
            value={values.password}
            onChange={(e) => set("password", e.target.value)}
            error={fieldError("password")}
            hint={secretHint(connection?.hasPassword ?? false)}
          />
          {values.authType === "oauth" ? (
            <>
              <TextField
                label="OAuth client id"
                required
                autoComplete="off"
                value={values.oauthClientId}
                onChange={(e) => set("oauthClientId", e.target.value)}
                error={fieldError("oauthClientId")}
                hint="System OAuth › Application Registry"
              />
              <TextField
                label="OAuth client secret"
                required={isNew || !connection?.hasOauthClientSecret}
                type="password"
                autoComplete="new-password"
                value={values.oauthClientSecret}
                onChange={(e) => set("oauthClientSecret", e.target.value)}
                error={fieldError("oauthClientSecret")}
                hint={secretHint(connection?.hasOauthClientSecret ?? false)}
              />
            </>
          ) : null}
        </fieldset>

        <fieldset className="grid gap-3 sm:grid-cols-3">
          <legend className="mb-2 text-sm font-semibold">Tickets</legend>
          <div className="flex flex-col gap-2 sm:col-span-3 sm:flex-row sm:gap-6">
            <CheckboxField
              label="ITSM (incidents, problems, change requests)"
              checked={values.itsmEnabled}
              onChange={(e) => set("itsmEnabled", e.target.checked)}
            />
            <CheckboxField
              label="Configuration Compliance"
              checked={values.ccEnabled}
              onChange={(e) => set("ccEnabled", e.target.checked)}
            />
          </div>
          <SelectField
            label="Default ticket type"
            value={values.defaultTable}
            onChange={(e) => set("defaultTable", e.target.value as TTicketType)}
          >
            {TICKET_TYPES.map((t) => (
              <option key={t} value={t}>
                {TICKET_TYPE_LABEL[t]}
              </option>
            ))}
          </SelectField>
          {isNew ? (
            <>
              <TextField
                label="Default assignment group"
                value={values.defaultAssignmentGroup}
                onChange={(e) => set("defaultAssignmentGroup", e.target.value)}
                error={fieldError("defaultAssignmentGroup")}
                hint="Group name or sys_id (a list to pick from once saved)"
              />
              <TextField
                label="Default caller (incidents)"
                value={values.defaultCallerId}
                onChange={(e) => set("defaultCallerId", e.target.value)}
                error={fieldError("defaultCallerId")}
                hint="User name, e-mail or sys_id (a list to pick from once saved)"
              />
            </>
          ) : (
            <>
              {/* Searched with the saved credentials: the instance this connection already reaches. */}
              <DirectoryPicker
                connectionId={connection.id}
                kind="groups"
                label="Default assignment group"
                value={values.defaultAssignmentGroup}
                onChange={(v) => set("defaultAssignmentGroup", v)}
                error={fieldError("defaultAssignmentGroup")}
              />
              <DirectoryPicker
                connectionId={connection.id}
                kind="users"
                label="Default caller (incidents)"
                value={values.defaultCallerId}
                onChange={(v) => set("defaultCallerId", v)}
                error={fieldError("defaultCallerId")}
              />
            </>
          )}
        </fieldset>

        <SeverityMappingFields
          value={values.severityMapping}
          onChange={(m) => set("severityMapping", m)}
          error={fieldError("severityMapping")}
        />

        {!isNew && connection.itsmEnabled ? (
          <FieldDefaultsEditor
            connectionId={connection.id}
            value={values.fieldDefaults}
            onChange={(d) => set("fieldDefaults", d)}
            fieldError={fieldError}
          />
        ) : null}

        <fieldset className="grid gap-3 sm:grid-cols-3">
          <legend className="mb-2 text-sm font-semibold">Sync</legend>
          <TextField
            label="Sync interval (minutes)"
            type="number"
            min={1}
            max={10080}
            value={values.syncIntervalMinutes}
            onChange={(e) => set("syncIntervalMinutes", Number(e.target.value))}
            error={fieldError("syncIntervalMinutes")}
            hint="1440 = daily"
          />
          <fieldset className="sm:col-span-2 grid gap-2 sm:grid-cols-2">
            <legend className="mb-1 text-xs font-medium">
              Defender for Cloud e-mails for the governance assignments this connection writes
            </legend>
            <CheckboxField
              label="E-mail the owner"
              hint="Defender's weekly digest of the owner's open assignments"
              checked={values.governanceOwnerEmails}
              onChange={(e) => set("governanceOwnerEmails", e.target.checked)}
            />
            <CheckboxField
              label="E-mail the owner's manager"
              hint="When an assignment is overdue (as Defender's own ServiceNow integration, both are on by default)"
              checked={values.governanceManagerEmails}
              onChange={(e) => set("governanceManagerEmails", e.target.checked)}
            />
          </fieldset>
          <SelectField
            label="When a fixed finding regresses"
            value={values.regressionPolicy}
            onChange={(e) => set("regressionPolicy", e.target.value as Values["regressionPolicy"])}
          >
            <option value="reopen">Reopen its ticket</option>
            <option value="new_ticket">Create a new ticket</option>
          </SelectField>
          {closeCodes.length ? (
            <SelectField
              label="Close code"
              value={values.closeCode}
              onChange={(e) => set("closeCode", e.target.value)}
              error={fieldError("closeCode")}
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
            <TextField
              label="Close code"
              value={values.closeCode}
              onChange={(e) => set("closeCode", e.target.value)}
              error={fieldError("closeCode")}
              hint="Used when PostureDesk resolves a ticket"
            />
          )}
          <TextField
            label="Correlation prefix"
            value={values.correlationPrefix}
            disabled={!isNew && (connection?.ticketCount ?? 0) > 0}
            onChange={(e) => set("correlationPrefix", e.target.value)}
            error={fieldError("correlationPrefix")}
            hint="Starts the correlation_id of every ticket; fixed once tickets exist"
          />
          <TextField
            label="Webhook secret"
            type="password"
            autoComplete="new-password"
            value={values.webhookSecret}
            onChange={(e) => set("webhookSecret", e.target.value)}
            error={fieldError("webhookSecret")}
            hint={secretHint(connection?.hasWebhookSecret ?? false) ?? "Signs ServiceNow's update notifications (optional)"}
            containerClassName="sm:col-span-2"
          />
        </fieldset>
      </form>
    </Dialog>
  );
}
