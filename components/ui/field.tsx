import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";
import { cn } from "@/components/ui/cn";

// Form controls that always carry a visible label and announce their error text.

const CONTROL =
  "w-full rounded-md border border-border bg-surface px-2.5 text-sm text-fg placeholder:text-muted disabled:opacity-60 aria-[invalid=true]:border-danger";

type FieldShellProps = {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null;
  id: string;
  /** The input, textarea or select. */
  control: ReactNode;
  className?: string;
  isRequired?: boolean;
  /** "alert" when the error is news the user did not ask for (a refused entry), read out as it appears. */
  errorRole?: "alert";
};

/** A labelled control with its error or else its hint below it (ids `${id}-error`, `${id}-hint` for aria-describedby). */
export function FieldShell({ label, hint, error, id, control, className, isRequired, errorRole }: FieldShellProps) {
  return (
    <div className={cn("flex flex-col gap-1", className)}>
      <label htmlFor={id} className="text-xs font-medium">
        {label}
        {isRequired ? (
          <span className="text-danger" aria-hidden>
            {" "}
            *
          </span>
        ) : null}
      </label>
      {control}
      {error ? (
        <p id={`${id}-error`} className="text-xs text-danger" role={errorRole}>
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-xs text-muted">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

type Common = { label: ReactNode; hint?: ReactNode; error?: string | null; containerClassName?: string };

/**
 * A control's props split in two: its FieldShell's, and the element's (id, required, invalid, described by
 * the error or else the hint, the control's classes with `size`, and the rest).
 */
function useField<P extends Common & { id?: string; required?: boolean; className?: string }>(props: P, size: string) {
  const { label, hint, error, containerClassName, className, id, required, ...rest } = props;
  const auto = useId();
  const fieldId = id ?? auto;
  const shell = { label, hint, error, id: fieldId, className: containerClassName, isRequired: required };
  const describedBy = error ? `${fieldId}-error` : hint ? `${fieldId}-hint` : undefined;
  const control = { id: fieldId, required, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy };
  return { shell, control: { ...control, className: cn(CONTROL, size, className), ...rest } };
}

export function TextField(props: Common & InputHTMLAttributes<HTMLInputElement>) {
  const { shell, control } = useField(props, "h-9");
  return <FieldShell {...shell} control={<input {...control} />} />;
}

export function TextAreaField(props: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const { shell, control } = useField(props, "min-h-24 py-2");
  return <FieldShell {...shell} control={<textarea {...control} />} />;
}

/** The options of a select: value and label. */
export type Choices = ReadonlyArray<readonly [string, ReactNode]>;

/** A select; `options` follow its children (e.g. an "All …" option). */
export function SelectField({ options, ...props }: Common & SelectHTMLAttributes<HTMLSelectElement> & { options?: Choices }) {
  const { shell, control } = useField(props, "h-9");
  const select = (
    <select {...control}>
      {control.children}
      {options?.map(([value, text]) => (
        <option key={value} value={value}>
          {text}
        </option>
      ))}
    </select>
  );
  return <FieldShell {...shell} control={select} />;
}

export function CheckboxField({
  label,
  hint,
  className,
  id,
  ...rest
}: { label: ReactNode; hint?: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  const auto = useId();
  const fieldId = id ?? auto;
  return (
    <div className={cn("flex items-start gap-2", className)}>
      <input
        id={fieldId}
        type="checkbox"
        className="mt-0.5 size-4 accent-[var(--accent)]"
        aria-describedby={hint ? `${fieldId}-hint` : undefined}
        {...rest}
      />
      <div>
        <label htmlFor={fieldId} className="text-sm">
          {label}
        </label>
        {hint ? (
          <p id={`${fieldId}-hint`} className="text-xs text-muted">
            {hint}
          </p>
        ) : null}
      </div>
    </div>
  );
}
