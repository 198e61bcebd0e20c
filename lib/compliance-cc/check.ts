import "server-only";

// "Test connection" for Configuration Compliance: the CC tables are readable (the existing table
// checks), and the Import Set API accepts rows into the connection's staging table. The probe sends one
// row with an empty source id, which no transform map may turn into a result (the emulator answers the
// row with an error, a real instance's map ignores it — docs/OPERATIONS.md): the staging table and the
// user's import role are checked without writing a test result.
import { type ServiceNowConnection } from "@/lib/generated/prisma/client";
import { isAppError } from "@/lib/http/errors";
import { type TConnectionTestStep } from "@/lib/schemas/connections";
import { type ServiceNowClient } from "@/lib/servicenow";
import { DEFENDER_SOURCE } from "./source";

export async function checkImportSet(client: ServiceNowClient, connection: Pick<ServiceNowConnection, "ccStagingTable">, describe: (error: unknown) => string): Promise<TConnectionTestStep> {
  const staging = connection.ccStagingTable;
  const step = { id: "cc:import-set", label: `Import into ${staging}` };
  try {
    const answer = await client.importSet(staging, [{ u_source: DEFENDER_SOURCE, u_source_id: "", u_result: "" }]);
    const row = answer.result?.[0];
    if (!row) return { ...step, status: "warning", message: `The Import Set API accepted the row but reported no transform result: check that a transform map from ${staging} into sn_vulc_result is active and runs synchronously.` };
    if (row.table && row.table !== "sn_vulc_result") {
      return { ...step, status: "failed", message: `The transform map of ${staging} writes to ${row.table}, not sn_vulc_result: results would not reach Configuration Compliance.` };
    }
    return { ...step, status: "ok", message: `The staging table exists and the user may load import sets (transform map "${row.transform_map ?? "?"}" into sn_vulc_result).` };
  } catch (error) {
    if (isAppError(error) && error.code === "UPSTREAM_NOT_FOUND") {
      return { ...step, status: "failed", message: `The import staging table "${staging}" does not exist on this instance: create it and its transform map into sn_vulc_result (docs/OPERATIONS.md), or correct the staging table in the connection.` };
    }
    if (isAppError(error) && error.code === "UPSTREAM_FORBIDDEN") {
      return { ...step, status: "failed", message: `Missing permission: the user may not load import sets into ${staging} (grant import_set_loader and import_transformer, or sn_vulc.import_admin).` };
    }
    return { ...step, status: "failed", message: describe(error) };
  }
}
