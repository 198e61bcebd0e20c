import "server-only";
import { type EmulatorManifest } from "@/emulators/manifest";
import { bootstrapAzureDemo } from "@/lib/demo/azure";
import { bootstrapServiceNowDemo } from "@/lib/demo/servicenow";
import { bootstrapSyncDemo } from "@/lib/demo/sync";
import { bootstrapDemoHistory } from "@/lib/demo/history-sql";

// Demo bootstrap on the embedded default (npm start with the emulators): registers the emulators'
// Azure tenant and ServiceNow instance as connections and queues a first sync, idempotently, so a
// newcomer lands on real-looking data. Each feature contributes its part (lib/demo/*.ts).

type Part = (manifest: EmulatorManifest, opts: { appUrl: string }) => Promise<string>;

// Azure first: the ServiceNow part waits for the findings its first ingestion brings.
// The sync part (webhook) needs the ServiceNow connection the part before it registers.
// The history part waits for the first snapshot the ingestion writes.
const PARTS: Part[] = [bootstrapAzureDemo, bootstrapServiceNowDemo, bootstrapSyncDemo, () => bootstrapDemoHistory()];

export async function bootstrapDemo(manifest: EmulatorManifest, opts: { appUrl: string }): Promise<{ summary: string }> {
  const lines: string[] = [];
  for (const part of PARTS) lines.push(await part(manifest, opts));
  return { summary: lines.length ? `demo: ${lines.join("; ")}` : `demo data: emulators seeded (${manifest.size})` };
}
