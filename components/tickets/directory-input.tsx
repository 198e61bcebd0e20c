"use client";
import { useDeferredValue, useId } from "react";
import { TextField } from "@/components/ui/field";
import { useDirectory } from "@/lib/queries/connections/use-connections";

/** A text field suggesting ServiceNow users or groups of the connection as the person types. */
export function DirectoryInput({ connectionId, kind, label, value, onChange, hint, error }: {
  connectionId: string | null;
  kind: "users" | "groups";
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: string;
  error?: string;
}) {
  const listId = useId();
  const q = useDeferredValue(value);
  const directory = useDirectory(connectionId, kind, q);
  const items: Array<{ sysId: string; name: string; email?: string; userName?: string }> = directory.data?.items ?? [];
  return (
    <>
      <TextField label={label} list={listId} autoComplete="off" value={value} onChange={(e) => onChange(e.target.value)} hint={hint} error={error} />
      <datalist id={listId}>
        {items.map((item) =>
          kind === "users" ? (
            <option key={item.sysId} value={item.email || item.userName}>
              {item.name}
            </option>
          ) : (
            <option key={item.sysId} value={item.name} />
          ),
        )}
      </datalist>
    </>
  );
}
