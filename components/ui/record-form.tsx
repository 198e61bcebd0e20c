"use client";
import { useId, useState, type ChangeEvent, type FormEvent, type ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { FormError, useFormErrors } from "@/components/ui/form-error";
import { useToast } from "@/components/ui/toast";
import { type ApiError } from "@/lib/queries/query-client";

// The form that adds or edits one record in a dialog (an Azure tenant, a ServiceNow connection): its
// values, the create or update mutation, the API's errors next to their fields, and the dialog around it
// with Cancel and the submit button.

type Save<I, D> = { mutate: (input: I, options: { onSuccess: (saved: D) => void }) => void; isPending: boolean; error: unknown };

/** The keys of `V` whose values are of type `X`. */
type KeysOf<V, X> = { [K in keyof V]: V[K] extends X ? K : never }[keyof V] & string;

export const SECRET_KEPT = "Stored. Leave empty to keep it; type to replace it.";

/** One kind of record form: what it says, and how its values come from a record and go to the API. */
export type RecordFormSpec<V, D, C, U> = {
  map: {
    initial: (record: D | null) => V;
    toCreate: (values: V) => C;
    /** Only what changed since `before`. */
    toUpdate: (values: V, before: V) => U;
  };
  /** The dialog's title and submit button when adding (editing: "Edit <name>" and "Save"). */
  add: { title: string; label: string };
  /** The toast after adding (title, and what happens next) and after saving. */
  toast: { added: string; next?: string; saved: string };
};

export function useRecordForm<V, D extends { id: string; name: string }, C, U>(
  spec: RecordFormSpec<V, D, C, U>,
  /** The record edited, or null to add one. */
  record: D | null,
  mutations: { create: Save<C, D>; update: Save<{ id: string; input: U }, D> },
  /** What follows a save, and Cancel. */
  after: { onSaved: (saved: D, isNew: boolean) => void; onClose: () => void },
) {
  const { initial, toCreate, toUpdate } = spec.map;
  const isNew = record === null;
  const [values, setValues] = useState<V>(() => initial(record));
  const mutation = isNew ? mutations.create : mutations.update;
  const { toast } = useToast();
  const { error, fieldError } = useFormErrors(mutation.error);
  const set = <K extends keyof V>(key: K, value: V[K]) => setValues((v) => ({ ...v, [key]: value }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const onSuccess = (result: D) => {
      toast({
        tone: "success",
        title: isNew ? spec.toast.added : spec.toast.saved,
        description: isNew ? spec.toast.next : undefined,
      });
      after.onSaved(result, isNew);
    };
    if (record === null) mutations.create.mutate(toCreate(values), { onSuccess });
    else mutations.update.mutate({ id: record.id, input: toUpdate(values, initial(record)) }, { onSuccess });
  };

  /** A text field or select bound to `key`, with the API's error for it. */
  const text = <K extends KeysOf<V, string>>(key: K) => ({
    value: values[key] as string,
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => set(key, e.target.value as V[K]),
    error: fieldError(key),
  });
  /** A number field bound to `key`. */
  const number = <K extends KeysOf<V, number>>(key: K) => ({
    value: values[key] as number,
    onChange: (e: ChangeEvent<HTMLInputElement>) => set(key, Number(e.target.value) as V[K]),
    error: fieldError(key),
  });
  /** A checkbox bound to `key`. */
  const checkbox = <K extends KeysOf<V, boolean>>(key: K) => ({
    checked: values[key] as boolean,
    onChange: (e: ChangeEvent<HTMLInputElement>) => set(key, e.target.checked as V[K]),
  });
  /** A write-only secret: empty unless typed; when editing, the hint says whether one is stored. */
  const secret = <K extends KeysOf<V, string>>(key: K, isStored: boolean, newHint?: string) => ({
    ...text(key),
    type: "password",
    autoComplete: "new-password",
    hint: isNew ? newHint : isStored ? SECRET_KEPT : "Not set.",
  });

  /** The props of <FormDialog>. */
  const dialog = { spec, name: record?.name, isNew, isPending: mutation.isPending, error, onClose: after.onClose, onSubmit: submit };
  return { isNew, values, setValues, set, fieldError, text, number, checkbox, secret, dialog };
}

/**
 * The dialog of a record form (`useRecordForm(…).dialog`): the form, its form-level error, Cancel and the
 * submit button.
 */
export function FormDialog({
  spec: { add },
  description,
  name,
  isNew,
  isPending,
  error,
  onClose,
  onSubmit,
  children,
}: {
  spec: Pick<RecordFormSpec<unknown, unknown, unknown, unknown>, "add">;
  description: ReactNode;
  /** The name of the record edited. */
  name: string | undefined;
  isNew: boolean;
  isPending: boolean;
  error: ApiError | null;
  onClose: () => void;
  onSubmit: (e: FormEvent) => void;
  children: ReactNode;
}) {
  const formId = useId();
  return (
    <Dialog
      open
      size="lg"
      onClose={onClose}
      title={isNew ? add.title : `Edit ${name}`}
      description={description}
      footer={
        <DialogActions onCancel={onClose} type="submit" form={formId} isLoading={isPending}>
          {isNew ? add.label : "Save"}
        </DialogActions>
      }
    >
      <form id={formId} onSubmit={onSubmit} className="space-y-5" noValidate>
        <FormError error={error} />
        {children}
      </form>
    </Dialog>
  );
}

/** A group of fields under a heading, in two (or three) columns from the small breakpoint. */
export function FormSection({ legend, columns = 2, children }: { legend: string; columns?: 2 | 3; children: ReactNode }) {
  return (
    <fieldset className={cn("grid gap-3", columns === 3 ? "sm:grid-cols-3" : "sm:grid-cols-2")}>
      <legend className="mb-2 text-sm font-semibold">{legend}</legend>
      {children}
    </fieldset>
  );
}
