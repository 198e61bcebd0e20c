"use client";

import { ApiError } from "@/lib/queries/query-client";

/**
 * The error of a form's mutation(s) as the API answered it (problem+json): `error` is the first ApiError
 * among them, `fieldError("name")` the message for body field `name` (or any field under it), for the
 * field components' `error` prop. A 422 shows next to its fields; anything else in <FormError>.
 */
export function useFormErrors(...errors: unknown[]): { error: ApiError | null; fieldError: (field: string) => string | undefined } {
  const error = errors.find((e): e is ApiError => e instanceof ApiError) ?? null;
  const fieldError = (field: string) =>
    error?.errors?.find((e) => e.path === `body.${field}` || e.path.startsWith(`body.${field}.`))?.message;
  return { error, fieldError };
}

/** The form-level error: shown when the answer names no field (field errors show next to their fields). */
export function FormError({ error }: { error: ApiError | null }) {
  if (!error || error.errors?.length) return null;
  return (
    <p role="alert" className="rounded border border-danger bg-danger-soft px-3 py-2 text-sm text-danger">
      {error.message}
    </p>
  );
}
