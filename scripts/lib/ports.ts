import { createServer } from "node:net";

function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** The first free port from `preferred` on (checked on all interfaces, as `next start` binds them). */
export async function findFreePort(preferred: number, attempts = 50): Promise<number> {
  for (let port = preferred; port < preferred + attempts; port++) {
    if ((await isFree(port, "::")) && (await isFree(port, "0.0.0.0"))) return port;
  }
  throw new Error(`no free port between ${preferred} and ${preferred + attempts - 1}`);
}
