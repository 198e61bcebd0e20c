"use client";
import { useId, useState, type KeyboardEvent } from "react";
import { X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FieldShell } from "@/components/ui/field";

export type ChipOption = { value: string; label: string };

/**
 * A list of values typed or picked from suggestions, shown as removable chips. A typed text that equals
 * a suggestion's label (e.g. a recommendation's name) adds that suggestion's value (its key); with
 * `resolve`, the field decides (subscriptions by name) and refuses what it cannot resolve.
 */
export function ChipsInput({
  label,
  values,
  onChange,
  options = [],
  placeholder,
  hint,
  error,
  labelOf,
  resolve,
}: {
  label: string;
  values: string[];
  onChange: (values: string[]) => void;
  options?: ChipOption[];
  placeholder?: string;
  hint?: string;
  error?: string | null;
  /** Text shown for a value (default: its option's label, else the value). */
  labelOf?: (value: string) => string;
  /** Turns typed text into a value, or refuses it with a message shown at the field (nothing is added). */
  resolve?: (typed: string) => { value: string } | { error: string };
}) {
  const id = useId();
  const [text, setText] = useState("");
  const [refusal, setRefusal] = useState<string | null>(null);
  const shownError = refusal ?? error;
  const display = (v: string) => labelOf?.(v) ?? options.find((o) => o.value === v)?.label ?? v;

  const add = () => {
    const typed = text.trim();
    if (!typed) return;
    let value: string;
    if (resolve) {
      const resolved = resolve(typed);
      if ("error" in resolved) {
        setRefusal(resolved.error);
        return;
      }
      value = resolved.value;
    } else {
      const match = options.find((o) => o.label.toLowerCase() === typed.toLowerCase() || o.value.toLowerCase() === typed.toLowerCase());
      value = match?.value ?? typed;
    }
    setRefusal(null);
    if (!values.some((v) => v.toLowerCase() === value.toLowerCase())) onChange([...values, value]);
    setText("");
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter") {
      e.preventDefault();
      add();
    } else if (e.key === "Backspace" && text === "" && values.length > 0) onChange(values.slice(0, -1));
  };

  const control = (
    <>
      {values.length > 0 ? (
        <ul className="flex flex-wrap gap-1" aria-label={`${label}: selected`}>
          {values.map((v) => (
            <li key={v} className="inline-flex items-center gap-1 rounded border border-border bg-surface-2 py-0.5 pr-0.5 pl-1.5 text-xs">
              <span className="max-w-72 truncate" title={v}>
                {display(v)}
              </span>
              <button
                type="button"
                onClick={() => onChange(values.filter((x) => x !== v))}
                aria-label={`Remove ${display(v)}`}
                className="rounded p-0.5 text-muted hover:text-fg"
              >
                <X aria-hidden className="size-3" />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="flex gap-2">
        <input
          id={id}
          list={options.length ? `${id}-options` : undefined}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setRefusal(null);
          }}
          onKeyDown={onKeyDown}
          placeholder={placeholder}
          autoComplete="off"
          aria-invalid={shownError ? true : undefined}
          aria-describedby={shownError ? `${id}-error` : hint ? `${id}-hint` : undefined}
          className={cn(
            "h-9 w-full rounded-md border border-border bg-surface px-2.5 text-sm text-fg placeholder:text-muted",
            shownError && "border-danger",
          )}
        />
        <Button size="md" onClick={add} disabled={!text.trim()} aria-label={`Add to ${label}`}>
          Add
        </Button>
      </div>
      {options.length ? (
        <datalist id={`${id}-options`}>
          {options.slice(0, 500).map((o) => (
            <option key={o.value} value={o.label} />
          ))}
        </datalist>
      ) : null}
    </>
  );
  return <FieldShell label={label} hint={hint} error={shownError} id={id} control={control} errorRole={refusal ? "alert" : undefined} />;
}
