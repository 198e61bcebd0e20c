import "server-only";

// Field defaults of a connection (PATCH /api/connections/{id} { fieldDefaults }) checked against the
// instance's discovered schema, and the close code checked against the instance's close_code choices.
import { type ConnectionWithCredentials } from "@/lib/connections/client";
import { AppError } from "@/lib/http/errors";
import { type TFieldDefaults } from "@/lib/schemas/instance-schema";
import { loadTableSchema, tableSchemaFor } from "./store";
import { type FieldIssue, validateFieldValues } from "./validate";

function refuse(issues: FieldIssue[]): never {
  throw new AppError("VALIDATION", {
    message: `Invalid field defaults: ${issues
      .slice(0, 3)
      .map((i) => i.message)
      .join("; ")}${issues.length > 3 ? ` and ${issues.length - 3} more` : ""}`,
    details: { errors: issues.map((i) => ({ path: i.path, message: i.message })) },
  });
}

export async function assertFieldDefaults(connection: ConnectionWithCredentials, defaults: TFieldDefaults): Promise<void> {
  const issues: FieldIssue[] = [];
  for (const table of ["incident", "problem", "change_request"] as const) {
    const values = defaults[table];
    if (!values || Object.keys(values).length === 0) continue;
    const schema = await tableSchemaFor(connection, table);
    issues.push(...validateFieldValues(table, schema.fields, values, `body.fieldDefaults.${table}`, { allowTemplates: true }));
  }
  if (issues.length) refuse(issues);
}

/** The close code must be one of the instance's incident.close_code values (when they are known). */
export async function assertCloseCode(connectionId: string, closeCode: string): Promise<void> {
  const schema = await loadTableSchema(connectionId, "incident");
  const choices = schema?.fields.find((f) => f.name === "close_code")?.choices;
  if (!choices?.length || choices.some((c) => c.value === closeCode)) return;
  throw new AppError("VALIDATION", {
    message: `The close code "${closeCode}" is not one of this instance's resolution codes: ${choices.map((c) => c.value).join(", ")}`,
    details: { errors: [{ path: "body.closeCode", message: "not one of the instance's incident.close_code choices" }] },
  });
}
