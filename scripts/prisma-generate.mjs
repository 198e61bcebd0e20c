// Generates the Prisma client offline. Prisma's CLI insists on a native schema engine that it
// downloads at install time from a host these machines cannot reach; `generate` does not use it,
// so a stub that exits 1 satisfies the check (and makes `migrate` fail loudly rather than silently).
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
if (!existsSync(join(root, "prisma", "schema.prisma"))) process.exit(0);

const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) {
  const stub = join(root, "node_modules", ".cache", "posturedesk", "schema-engine-stub.sh");
  mkdirSync(dirname(stub), { recursive: true });
  writeFileSync(stub, "#!/bin/sh\necho 'schema engine unavailable offline: use npm run db:migrate / db:migration' >&2\nexit 1\n");
  chmodSync(stub, 0o755);
  env.PRISMA_SCHEMA_ENGINE_BINARY = stub;
}
env.PRISMA_HIDE_UPDATE_MESSAGE = "1";
const prismaBin = join(root, "node_modules", "prisma", "build", "index.js");
const result = spawnSync(process.execPath, [prismaBin, "generate"], { cwd: root, env, stdio: "inherit" });
process.exit(result.status ?? 1);
