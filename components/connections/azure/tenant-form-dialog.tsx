"use client";
import { CheckboxField, SelectField, TextField } from "@/components/ui/field";
import { FormDialog, FormSection, useRecordForm, type RecordFormSpec } from "@/components/ui/record-form";
import { type FormDialogProps } from "../connection-list";
import { useCreateAzureTenant, useUpdateAzureTenant } from "@/lib/queries/azure-tenants/use-azure-tenants";
import { CLOUD_ENDPOINTS, CLOUD_LABELS, type TAzureCloud } from "@/lib/azure/clouds";
import { type TAzureTenantDto, type TCreateAzureTenantInput, type TUpdateAzureTenantInput } from "@/lib/schemas/azure-tenants";

type Values = {
  name: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  cloud: TAzureCloud;
  authorityHost: string;
  armEndpoint: string;
  armAudience: string;
  allowPrivateNetwork: boolean;
  useResourceGraph: boolean;
  syncIntervalMinutes: number;
  included: string[];
};

function initial(t: TAzureTenantDto | null): Values {
  return {
    name: t?.name ?? "",
    tenantId: t?.tenantId ?? "",
    clientId: t?.clientId ?? "",
    clientSecret: "",
    cloud: t?.cloud ?? "public",
    authorityHost: t?.authorityHost ?? CLOUD_ENDPOINTS.public.authorityHost,
    armEndpoint: t?.armEndpoint ?? CLOUD_ENDPOINTS.public.armEndpoint,
    armAudience: t?.armAudience ?? CLOUD_ENDPOINTS.public.armAudience,
    allowPrivateNetwork: t?.allowPrivateNetwork ?? false,
    useResourceGraph: t?.useResourceGraph ?? true,
    syncIntervalMinutes: t?.syncIntervalMinutes ?? 60,
    included: t?.subscriptions.filter((s) => s.isIncluded).map((s) => s.subscriptionId) ?? [],
  };
}

function toCreate(v: Values): TCreateAzureTenantInput {
  const { included: _included, armAudience, ...fields } = v;
  // The audience follows a named cloud; only custom endpoints carry their own.
  return v.cloud === "custom" ? { ...fields, armAudience } : fields;
}

/** Only what changed; the secret only when typed (write-only). */
function toUpdate(v: Values, before: Values): TUpdateAzureTenantInput {
  const changes: Record<string, unknown> = {};
  for (const key of [
    "name",
    "tenantId",
    "clientId",
    "cloud",
    "authorityHost",
    "armEndpoint",
    "allowPrivateNetwork",
    "useResourceGraph",
    "syncIntervalMinutes",
  ] as const) {
    if (v[key] !== before[key]) changes[key] = v[key];
  }
  if (v.cloud === "custom" && v.armAudience !== before.armAudience) changes.armAudience = v.armAudience;
  if (v.clientSecret) changes.clientSecret = v.clientSecret;
  if ([...v.included].sort().join() !== [...before.included].sort().join()) changes.includedSubscriptionIds = v.included;
  return changes as TUpdateAzureTenantInput;
}

const FORM: RecordFormSpec<Values, TAzureTenantDto, TCreateAzureTenantInput, TUpdateAzureTenantInput> = {
  map: { initial, toCreate, toUpdate },
  add: { title: "Add an Azure tenant", label: "Add tenant" },
  toast: { added: "Azure tenant added", next: "Testing it now…", saved: "Azure tenant saved" },
};

export function TenantFormDialog({ record: tenant, onClose, onSaved }: FormDialogProps<TAzureTenantDto>) {
  const form = useRecordForm(FORM, tenant, { create: useCreateAzureTenant(), update: useUpdateAzureTenant() }, { onSaved, onClose });
  const { values, set, text, fieldError } = form;
  // Picking a named cloud fills in its endpoints and audience (overridable for a proxy); custom keeps what is typed.
  const setCloud = (cloud: TAzureCloud) =>
    form.setValues((v) => {
      if (cloud === "custom") return { ...v, cloud };
      const { authorityHost, armEndpoint, armAudience } = CLOUD_ENDPOINTS[cloud];
      return { ...v, cloud, authorityHost, armEndpoint, armAudience };
    });

  return (
    <FormDialog
      {...form.dialog}
      description="Register an application in Entra ID, create a client secret, and grant it the Security Reader role on the subscriptions (or management group) to ingest."
    >
      <FormSection legend="Application">
        <TextField label="Name" required {...text("name")} containerClassName="sm:col-span-2" />
        <TextField label="Directory (tenant) id" required {...text("tenantId")} hint="GUID or verified domain" />
        <TextField label="Application (client) id" required {...text("clientId")} hint="GUID" />
        <TextField
          label="Client secret"
          required={form.isNew}
          {...form.secret("clientSecret", tenant?.hasClientSecret ?? false, "The secret's value (not its id)")}
          containerClassName="sm:col-span-2"
        />
      </FormSection>

      <FormSection legend="Cloud and endpoints">
        <SelectField
          label="Cloud"
          value={values.cloud}
          onChange={(e) => setCloud(e.target.value as TAzureCloud)}
          error={fieldError("cloud")}
          hint="Sets the sign-in authority, Resource Manager endpoint and token audience. Azure operated by 21Vianet is not supported (Defender for Cloud retires there on 2026-08-18)."
          containerClassName="sm:col-span-2"
          options={(["public", "usgov", "custom"] as const).map((c) => [c, CLOUD_LABELS[c]] as const)}
        />
        <TextField
          label="Authority host"
          type="url"
          {...text("authorityHost")}
          hint={values.cloud === "custom" ? "Entra ID sign-in host" : "The cloud's; change only for a proxy"}
        />
        <TextField label="Resource Manager endpoint" type="url" {...text("armEndpoint")} hint="Also serves Resource Graph" />
        <TextField
          label="Token audience"
          type="url"
          {...text("armAudience")}
          value={values.cloud === "custom" ? values.armAudience : CLOUD_ENDPOINTS[values.cloud].armAudience}
          readOnly={values.cloud !== "custom"}
          hint={values.cloud === "custom" ? "Tokens are requested for <audience>/.default" : "Follows the cloud"}
          containerClassName="sm:col-span-2"
        />
        <CheckboxField
          className="sm:col-span-2"
          label="Allow private or loopback endpoints"
          hint="Only for local emulators; the server must also allow it (ALLOW_PRIVATE_NETWORK)."
          {...form.checkbox("allowPrivateNetwork")}
        />
      </FormSection>

      <FormSection legend="Ingestion">
        <TextField label="Sync interval (minutes)" type="number" min={5} max={10080} {...form.number("syncIntervalMinutes")} />
        <CheckboxField
          label="Use Resource Graph for large tenants"
          hint="One query across subscriptions, 1,000 assessments per page; falls back to per-subscription listing."
          {...form.checkbox("useResourceGraph")}
        />
        {tenant !== null ? (
          <div className="sm:col-span-2">
            <p className="mb-1 text-xs font-medium">Subscriptions to ingest</p>
            {tenant.subscriptions.length === 0 ? (
              <p className="text-xs text-muted">None discovered yet: “Test connection” lists the subscriptions the application can see.</p>
            ) : (
              <div
                className="grid max-h-48 gap-1.5 overflow-y-auto rounded border border-border p-2 sm:grid-cols-2"
                role="group"
                aria-label="Subscriptions to ingest"
              >
                {tenant.subscriptions.map((s) => (
                  <CheckboxField
                    key={s.subscriptionId}
                    label={s.displayName}
                    hint={`${s.subscriptionId}${s.state !== "Enabled" ? ` · ${s.state}` : ""}`}
                    checked={values.included.includes(s.subscriptionId)}
                    onChange={(e) =>
                      set(
                        "included",
                        e.target.checked ? [...values.included, s.subscriptionId] : values.included.filter((id) => id !== s.subscriptionId),
                      )
                    }
                  />
                ))}
              </div>
            )}
            {fieldError("includedSubscriptionIds") ? (
              <p className="mt-1 text-xs text-danger">{fieldError("includedSubscriptionIds")}</p>
            ) : null}
          </div>
        ) : null}
      </FormSection>
    </FormDialog>
  );
}
