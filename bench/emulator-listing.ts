// Benchmark (prints figures, asserts nothing): lists every assessment of every subscription of running
// emulators through lib/azure (the real SecurityCenter, page by page) and through Resource Graph, and
// reports time, pages and the emulator's memory. Run against `npm run emulators -- --size large`:
//
//   NODE_EXTRA_CA_CERTS=.data/certs/ca-bundle.pem npx tsx --conditions=react-server bench/emulator-listing.ts [--page-size N]
//
// --page-size sets the ARM emulator's page size first (default: leave it, 100).
import { parseArgs } from "node:util";
import { createAzureClient } from "@/lib/azure/client";
import { readManifest } from "@/emulators/manifest";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { manifest: { type: "string" }, "page-size": { type: "string" } } });
  const manifest = readManifest(values.manifest ?? ".data/emulators.json");
  const control = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${manifest.arm.url}${path}`, {
      method,
      headers: body ? { "content-type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    return (await response.json()) as Record<string, unknown>;
  };
  if (values["page-size"]) await control("PATCH", "/_emulator/arm/config", { pageSize: Number(values["page-size"]) });
  const pageSize = (await control("GET", "/_emulator/arm/config")).pageSize;
  const client = createAzureClient({
    tenantId: manifest.tenantId,
    ...manifest.entra.armServicePrincipal,
    authorityHost: manifest.entra.url,
    armEndpoint: manifest.arm.url,
  });

  await client.listSubscriptions(); // token + connection warm-up, not measured
  let started = performance.now();
  let count = 0;
  let pages = 0;
  for (const subscriptionId of manifest.arm.subscriptionIds) {
    for await (const page of client.assessments(subscriptionId)) {
      pages++;
      count += page.length;
    }
  }
  const sdkSeconds = (performance.now() - started) / 1000;
  console.log(
    `SecurityCenter listing: ${count} assessments, ${manifest.arm.subscriptionIds.length} subscriptions, ${pages} pages of ${String(pageSize)}: ${sdkSeconds.toFixed(2)} s (${Math.round(count / sdkSeconds)} assessments/s)`,
  );

  started = performance.now();
  let graphCount = 0;
  let graphPages = 0;
  for await (const page of client.resourceGraph.assessments(manifest.arm.subscriptionIds, { pageSize: 1000 })) {
    graphPages++;
    graphCount += page.length;
  }
  const graphSeconds = (performance.now() - started) / 1000;
  console.log(
    `Resource Graph listing: ${graphCount} assessments, ${graphPages} pages of 1000: ${graphSeconds.toFixed(2)} s (${Math.round(graphCount / graphSeconds)} assessments/s)`,
  );

  console.log(`Ratio Resource Graph / SecurityCenter time: ${(graphSeconds / sdkSeconds).toFixed(2)}`);
  const info = await control("GET", "/_emulator");
  console.log(`Emulator process after the listings: ${JSON.stringify(info.process)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
