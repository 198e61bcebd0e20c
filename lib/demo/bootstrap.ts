import "server-only";
import { type EmulatorManifest } from "@/emulators/manifest";
import { bootstrapServiceNowDemo } from "@/lib/demo/servicenow";

// Demo bootstrap on the embedded default (npm start with the emulators): registers the emulators'
// Azure tenant and ServiceNow instance as connections and queues a first sync, idempotently, so a
// newcomer lands on real-looking data. Each feature contributes its part (lib/demo/*.ts).

type Part = (manifest: EmulatorManifest, opts: { appUrl: string }) => Promise<string>;

const PARTS: Part[] = [bootstrapServiceNowDemo];

export async function bootstrapDemo(manifest: EmulatorManifest, opts: { appUrl: string }): Promise<{ summary: string }> {
  const lines: string[] = [];
  for (const part of PARTS) lines.push(await part(manifest, opts));
  return { summary: lines.length ? `demo: ${lines.join("; ")}` : `demo data: emulators seeded (${manifest.size})` };
}
