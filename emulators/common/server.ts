// Starts one emulator on its own port (HTTPS with the local CA, or plain HTTP for the browser-facing
// Entra sign-in page) and wraps every request with what all emulators share:
//   1. `/_emulator/*` control routes the platform owns go to the shared control router (no counters,
//      no faults: tests must be able to clear a fault that breaks everything else);
//   2. other requests are counted (by route template, status 0 when the connection was dropped) and pass
//      through the fault engine before the emulator's own handler sees them.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { Counters } from "./counters";
import type { FaultEngine } from "./faults";
import { type ErrorWriter, getRouteTemplate, HttpError, type Router } from "./http";

export type StartServerOptions = {
  /** Name used by counters and fault rules (e.g. "arm", "entra", "servicenow"). */
  name: string;
  host: string;
  /** 0 = any free port. */
  port: number;
  /** PEM certificate and key; null serves plain HTTP. */
  tls: { cert: string; key: string } | null;
  control: Router | null;
  handle: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
  writeError: ErrorWriter;
  faults: FaultEngine;
  counters: Counters;
  /** Route template for a request the emulator never saw (answered by a fault); see Router.templateFor. */
  routeOf?: (method: string, path: string) => string | undefined;
  /** Origins whose pages may call the control API (the emulators' own); others get 403. */
  allowedOrigins?: () => string[];
};

export type RunningServer = {
  /** e.g. https://localhost:40123 */
  url: string;
  port: number;
  close(): Promise<void>;
};

export function isControlPath(pathname: string): boolean {
  return pathname === "/_emulator" || pathname.startsWith("/_emulator/");
}

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    void dispatch(options, req, res).catch((error: unknown) => {
      console.error(`[emulator:${options.name}] request failed`, error);
      if (!res.headersSent && !res.destroyed) {
        options.writeError(res, new HttpError(500, "InternalServerError", "The emulator failed to process the request."));
      } else res.destroy();
    });
  };
  const server: Server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, listener)
    : createHttpServer(listener);
  // Clients keep connections alive between pages; a short idle timeout avoids piles of idle sockets.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const scheme = options.tls ? "https" : "http";
  return {
    url: `${scheme}://${displayHost(options.host)}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Host to put in URLs: wildcard binds are reached through localhost; IPv6 literals need brackets. */
export function displayHost(host: string): string {
  if (host === "0.0.0.0" || host === "::" || host === "") return "localhost";
  return host.includes(":") ? `[${host}]` : host;
}

/**
 * The control API has no authentication (a local tool), so keep web pages from driving it through a
 * developer's browser: a cross-origin call carries an Origin header (refused unless it is one of the
 * emulators' own pages), and a cross-site form can only send form/text bodies (refused: control bodies
 * are JSON). curl, tests and scripts send neither.
 */
function refuseCrossSite(options: StartServerOptions, req: IncomingMessage, res: ServerResponse): boolean {
  const origin = req.headers.origin;
  if (origin && !(options.allowedOrigins?.() ?? []).includes(origin)) {
    options.writeError(res, new HttpError(403, "ForbiddenOrigin", `The control API does not accept calls from pages at ${origin}.`));
    return true;
  }
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (req.method !== "GET" && req.method !== "HEAD" && type && type !== "application/json") {
    options.writeError(
      res,
      new HttpError(415, "UnsupportedMediaType", "Control requests take JSON bodies (content-type: application/json)."),
    );
    return true;
  }
  return false;
}

async function dispatch(options: StartServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const pathname = (req.url ?? "/").split("?")[0]!;
  if (isControlPath(pathname) && refuseCrossSite(options, req, res)) return;
  if (isControlPath(pathname) && options.control?.matches(safeDecode(pathname))) {
    await options.control.handle(req, res);
    return;
  }
  if (!isControlPath(pathname)) countRequest(options, req, res);
  if (!isControlPath(pathname) && (await options.faults.intercept(options.name, req, res, options.writeError))) return;
  await options.handle(req, res);
}

function countRequest(options: StartServerOptions, req: IncomingMessage, res: ServerResponse): void {
  let isRecorded = false;
  const record = (status: number) => {
    if (isRecorded) return;
    isRecorded = true;
    options.counters.record({
      emulator: options.name,
      method: req.method ?? "GET",
      route: getRouteTemplate(req) ?? routeOfUnrouted(options, req),
      status,
    });
  };
  res.once("finish", () => record(res.statusCode));
  res.once("close", () => record(res.writableFinished ? res.statusCode : 0));
}

function routeOfUnrouted(options: StartServerOptions, req: IncomingMessage): string {
  const path = safeDecode((req.url ?? "/").split("?")[0]!);
  return options.routeOf?.((req.method ?? "GET").toUpperCase(), path) ?? path;
}

function safeDecode(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}
