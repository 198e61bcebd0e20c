// The demo's emulators keep their state across restarts of `npm start`: the same ports (so stored
// connection URLs stay valid) and the same records (tickets created in the emulated ServiceNow must
// still be there when the app starts again). Snapshots are written every minute and at shutdown.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

export type EmulatorPorts = Partial<Record<"entra" | "entraBrowser" | "arm" | "servicenow", number>>;

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "localhost", exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** The ports used last time, keeping only those that are still free. */
export async function rememberedPorts(dataDir: string): Promise<EmulatorPorts> {
  const file = path.join(dataDir, "emulator-ports.json");
  if (!existsSync(file)) return {};
  let saved: EmulatorPorts;
  try {
    saved = JSON.parse(readFileSync(file, "utf8")) as EmulatorPorts;
  } catch {
    return {};
  }
  const out: EmulatorPorts = {};
  for (const [name, port] of Object.entries(saved) as Array<[keyof EmulatorPorts, number]>) {
    if (Number.isInteger(port) && port > 0 && (await isFree(port))) out[name] = port;
  }
  return out;
}

export function rememberPorts(dataDir: string, urls: { entra: string; entraBrowser: string; arm: string; servicenow: string }): void {
  const ports: EmulatorPorts = Object.fromEntries(Object.entries(urls).map(([k, u]) => [k, Number(new URL(u).port)]));
  writeAtomic(path.join(dataDir, "emulator-ports.json"), JSON.stringify(ports, null, 2));
}

export function saveSnapshot(file: string, snapshot: unknown): void {
  writeAtomic(file, JSON.stringify(snapshot));
}

function writeAtomic(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { mode: 0o600 });
  renameSync(tmp, file);
}
