import "server-only";

// "Test connection" for Configuration Compliance: has ServiceNow's own Defender integration delivered test
// results, and when last? PostureDesk cannot see the integration's configuration (it lives on the
// instance, run as VR.System); it can see its output: the newest test result on an Azure CI.
import { type TConnectionTestStep } from "@/lib/schemas/connections";
import { cellValue, parseServiceNowDateTime, q, type ServiceNowClient } from "@/lib/servicenow";
import { AZURE_CI } from "./read-sql";

/** Older than this, the integration is reported as behind (its Assessment Integration runs at least daily by default). */
const STALE_MS = 48 * 3600_000;

export async function checkDefenderIntegration(
  client: ServiceNowClient,
  describe: (error: unknown) => string,
  now = Date.now(),
): Promise<TConnectionTestStep> {
  const step = { id: "cc:integration", label: "Defender integration in ServiceNow" };
  try {
    const page = await client.list("sn_vulc_result", {
      query: q().startsWith("cmdb_ci.object_id", AZURE_CI).orderByDesc("sys_updated_on"),
      fields: ["sys_id", "sys_updated_on"],
      limit: 1,
      noCount: true,
    });
    const last = page.records[0] ? parseServiceNowDateTime(cellValue(page.records[0].sys_updated_on)) : null;
    if (!last) {
      return {
        ...step,
        status: "warning",
        message:
          'No Configuration Compliance test result on an Azure resource yet: install and run ServiceNow\'s "Microsoft Defender for Cloud" integration (docs/OPERATIONS.md). PostureDesk only reads what it imports.',
      };
    }
    const age = now - last.getTime();
    const when = last.toISOString().replace("T", " ").slice(0, 16);
    return age > STALE_MS
      ? {
          ...step,
          status: "warning",
          message: `The Defender integration last delivered test results at ${when} UTC (${Math.round(age / 3600_000)} h ago): check its scheduled jobs in ServiceNow.`,
        }
      : { ...step, status: "ok", message: `The Defender integration delivers test results; last at ${when} UTC.` };
  } catch (error) {
    return { ...step, status: "failed", message: describe(error) };
  }
}
