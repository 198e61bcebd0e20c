"use client";
import { useState } from "react";
import { Copy, KeyRound, Plus } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { DateCell, DateTime } from "@/components/ui/date-time";
import { ConfirmDialog, Dialog, DialogActions } from "@/components/ui/dialog";
import { SelectField, TextField } from "@/components/ui/field";
import { ListTable } from "@/components/ui/list-view";
import { EmptyState } from "@/components/ui/states";
import { TD, TH, TR } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { ROLE_LABEL } from "@/lib/auth/roles";
import { ApiError } from "@/lib/queries/query-client";
import { useCreateToken, useRevokeToken, useTokens } from "@/lib/queries/tokens/use-tokens";
import { type TApiTokenDto } from "@/lib/schemas/tokens";

export function TokensView() {
  const [page, setPage] = useState(1);
  const tokens = useTokens(page);
  // A revocation can empty the last page: show the one before (state adjusted while rendering).
  const tokenTotal = tokens.data?.total;
  if (tokenTotal !== undefined && page > 1 && page > Math.ceil(tokenTotal / 50)) setPage(Math.max(1, Math.ceil(tokenTotal / 50)));
  const [isCreating, setIsCreating] = useState(false);
  const [revoking, setRevoking] = useState<TApiTokenDto | null>(null);
  const revoke = useRevokeToken();
  const { toast } = useToast();

  return (
    <Card>
      <CardHeader
        title="API tokens"
        description="For scripts, CI pipelines and SOAR tools: send Authorization: Bearer <token>. A token acts with its role; it is shown once."
        actions={
          <Button variant="primary" size="sm" icon={<Plus aria-hidden className="size-4" />} onClick={() => setIsCreating(true)}>
            New token
          </Button>
        }
      />
      <ListTable
        query={tokens}
        caption="API tokens"
        head={[
          "Name",
          "Role",
          "Token",
          "Status",
          "Created",
          "Expires",
          "Last used",
          <TH key="actions">
            <span className="sr-only">Actions</span>
          </TH>,
        ]}
        skeletonRows={3}
        row={(t) => (
          <TR key={t.id}>
            <TD className="font-medium">{t.name}</TD>
            <TD>{ROLE_LABEL[t.role]}</TD>
            <TD className="font-mono text-xs">{t.prefix}…</TD>
            <TD>
              <Badge tone={t.status === "active" ? "success" : "neutral"}>{t.status}</Badge>
            </TD>
            <TD className="text-xs">
              <DateTime value={t.createdAt} format="date" />
              {t.createdBy ? <span className="text-muted"> by {t.createdBy}</span> : null}
            </TD>
            <DateCell className="text-xs" value={t.expiresAt} format="date" />
            <DateCell className="text-xs" value={t.lastUsedAt} format="date" />
            <TD className="text-right">
              {t.status === "active" ? (
                <Button size="sm" variant="ghost" onClick={() => setRevoking(t)} aria-label={`Revoke token ${t.name}`}>
                  Revoke
                </Button>
              ) : null}
            </TD>
          </TR>
        )}
        empty={
          <EmptyState
            icon={<KeyRound className="size-8" />}
            title="No API tokens yet"
            description="Create one for each script or tool, with the least role it needs."
          />
        }
        paging={tokenTotal !== undefined && tokenTotal > 50 ? { page, pageSize: 50, onPage: setPage, itemLabel: "tokens" } : undefined}
      />
      <CreateTokenDialog open={isCreating} onClose={() => setIsCreating(false)} />
      <ConfirmDialog
        item={revoking}
        onClose={() => setRevoking(null)}
        title="Revoke this token?"
        description={(token) => `"${token.name}" stops working immediately. This cannot be undone.`}
        action="Revoke"
        isPending={revoke.isPending}
        onConfirm={(token) =>
          revoke.mutate(token.id, {
            onSuccess: () => {
              toast({ tone: "success", title: "Token revoked" });
              setRevoking(null);
            },
            onError: (e) => toast({ tone: "error", title: "Could not revoke the token", description: e.message }),
          })
        }
      >
        <p className="text-sm text-muted">Anything using it will get 401 Unauthorized from now on.</p>
      </ConfirmDialog>
    </Card>
  );
}

function CreateTokenDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const create = useCreateToken();
  const [name, setName] = useState("");
  const [role, setRole] = useState<"ADMIN" | "ANALYST" | "MANAGER">("ANALYST");
  const [days, setDays] = useState(90);
  const [created, setCreated] = useState<string | null>(null);
  const { toast } = useToast();
  const fieldError = (field: string) =>
    create.error instanceof ApiError ? create.error.errors?.find((e) => e.path === `body.${field}`)?.message : undefined;
  const close = () => {
    setCreated(null);
    setName("");
    create.reset();
    onClose();
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      title={created ? "Copy your new token" : "New API token"}
      footer={
        created ? (
          <Button variant="primary" onClick={close}>
            Done
          </Button>
        ) : (
          <DialogActions onCancel={close} type="submit" form="create-token" isLoading={create.isPending}>
            Create token
          </DialogActions>
        )
      }
    >
      {created ? (
        <div className="space-y-3">
          <p className="text-sm">This is the only time the token is shown. Store it in your secret manager now.</p>
          <div className="flex items-center gap-2">
            <code
              className="min-w-0 flex-1 rounded border border-border bg-surface-2 px-2 py-1.5 font-mono text-xs break-all"
              data-testid="new-token"
            >
              {created}
            </code>
            <Button
              size="sm"
              icon={<Copy aria-hidden className="size-3.5" />}
              onClick={() => navigator.clipboard.writeText(created).then(() => toast({ tone: "success", title: "Copied" }))}
            >
              Copy
            </Button>
          </div>
        </div>
      ) : (
        <form
          id="create-token"
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ name, role, expiresInDays: days }, { onSuccess: (r) => setCreated(r.token) });
          }}
        >
          <TextField
            label="Name"
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="e.g. SOAR playbook"
            error={fieldError("name")}
            maxLength={100}
          />
          <SelectField
            label="Role"
            value={role}
            onChange={(e) => setRole(e.target.value as typeof role)}
            hint="Give the least role the tool needs."
          >
            <option value="MANAGER">Manager (read-only)</option>
            <option value="ANALYST">Analyst (tickets, syncs)</option>
            <option value="ADMIN">Admin (everything)</option>
          </SelectField>
          <TextField
            label="Expires in (days)"
            type="number"
            min={1}
            max={365}
            value={days}
            onChange={(e) => setDays(Number(e.target.value))}
            error={fieldError("expiresInDays")}
          />
          {create.isError && !fieldError("name") && !fieldError("expiresInDays") ? (
            <p role="alert" className="text-sm text-danger">
              {create.error.message}
            </p>
          ) : null}
        </form>
      )}
    </Dialog>
  );
}
