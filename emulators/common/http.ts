// A tiny router for the emulators' `node:http(s)` servers.
//
//   const router = createRouter({ writeError });             // writeError renders errors in the emulator's own shape
//   router.get("/api/now/table/:table", async (req, res) => sendJson(res, 200, { result: [] }));
//   router.post("/oauth_token.do", handler);                 // body: parsed JSON or form object
//   await router.handle(rawReq, rawRes);                     // answers 404/405/413/400/500 itself
//
// Templates: `:name` matches one path segment, `*name` one or more segments (e.g. an ARM resource id).
// Literal segments match case-insensitively (ARM paths are case-insensitive). Handlers may throw
// `HttpError`; anything else becomes a 500 in the emulator's error shape. The matched template is
// remembered per request so the counters can group by route instead of by concrete URL.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";

export type EmulatorRequest = {
  raw: IncomingMessage;
  method: string;
  /** Absolute URL as the client addressed it (scheme from the socket, host from the Host header). */
  url: URL;
  /** `scheme://host[:port]` the client used: build absolute links (nextLink, Link) from this. */
  origin: string;
  /** Decoded path, without the query. */
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, or an object for form-encoded bodies, or undefined when there is no body. */
  body: unknown;
  rawBody: Buffer;
};

export type Handler = (req: EmulatorRequest, res: ServerResponse) => void | Promise<void>;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    /** Extra fields an emulator's error writer may include (e.g. ServiceNow `detail`). */
    readonly detail?: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** Renders an error in the emulator's wire shape (ARM, AADSTS, ServiceNow…). */
export type ErrorWriter = (res: ServerResponse, error: HttpError) => void;

export type RouterOptions = {
  writeError: ErrorWriter;
  /** Largest accepted request body in bytes (413 above it). */
  maxBodyBytes?: number;
};

type Route = { method: string; template: string; regex: RegExp; names: string[]; handler: Handler };

const routeTemplates = new WeakMap<IncomingMessage, string>();

/** The route template that matched this request, if any (used by the request counters). */
export function getRouteTemplate(req: IncomingMessage): string | undefined {
  return routeTemplates.get(req);
}

export function setRouteTemplate(req: IncomingMessage, template: string): void {
  routeTemplates.set(req, template);
}

function compile(template: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const body = template
    .split("/")
    .map((segment) => {
      if (segment.startsWith(":")) {
        names.push(segment.slice(1));
        return "([^/]+)";
      }
      if (segment.startsWith("*")) {
        names.push(segment.slice(1));
        return "(.+?)";
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return { regex: new RegExp(`^${body}/?$`, "i"), names };
}

export type Router = {
  add(method: string, template: string, handler: Handler): Router;
  get(template: string, handler: Handler): Router;
  post(template: string, handler: Handler): Router;
  put(template: string, handler: Handler): Router;
  patch(template: string, handler: Handler): Router;
  delete(template: string, handler: Handler): Router;
  /** Whether some route matches this path (any method). */
  matches(path: string): boolean;
  /** The template that would serve this request, if any. */
  templateFor(method: string, path: string): string | undefined;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
};

export function createRouter(options: RouterOptions): Router {
  const routes: Route[] = [];
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const router: Router = {
    add(method, template, handler) {
      routes.push({ method: method.toUpperCase(), template, handler, ...compile(template) });
      return router;
    },
    get: (t, h) => router.add("GET", t, h),
    post: (t, h) => router.add("POST", t, h),
    put: (t, h) => router.add("PUT", t, h),
    patch: (t, h) => router.add("PATCH", t, h),
    delete: (t, h) => router.add("DELETE", t, h),
    matches: (p) => routes.some((r) => r.regex.test(p)),
    templateFor: (method, p) => routes.find((r) => (r.method === method.toUpperCase() || r.method === "*") && r.regex.test(p))?.template,
    async handle(raw, res) {
      try {
        const url = requestUrl(raw);
        const path = safeDecode(url.pathname);
        const method = (raw.method ?? "GET").toUpperCase();
        let pathMatched = false;
        for (const route of routes) {
          const m = route.regex.exec(path);
          if (!m) continue;
          pathMatched = true;
          if (route.method !== method && route.method !== "*") continue;
          setRouteTemplate(raw, route.template);
          const params: Record<string, string> = {};
          route.names.forEach((name, i) => (params[name] = m[i + 1]!));
          const rawBody = await readBody(raw, maxBodyBytes);
          const req: EmulatorRequest = {
            raw,
            method,
            url,
            origin: url.origin,
            path,
            query: url.searchParams,
            params,
            headers: raw.headers,
            body: parseBody(raw.headers["content-type"], rawBody),
            rawBody,
          };
          await route.handler(req, res);
          return;
        }
        if (pathMatched) throw new HttpError(405, "MethodNotAllowed", `The method ${method} is not supported for ${path}.`);
        throw new HttpError(404, "NotFound", `No route matches ${method} ${path}.`);
      } catch (error) {
        if (res.headersSent || res.destroyed) {
          res.destroy();
          return;
        }
        const httpError =
          error instanceof HttpError ? error : new HttpError(500, "InternalServerError", "The emulator failed to process the request.");
        if (!(error instanceof HttpError)) console.error("[emulator] unhandled error", error);
        options.writeError(res, httpError);
      }
    },
  };
  return router;
}

function safeDecode(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    throw new HttpError(400, "BadRequest", "The request path is not valid percent-encoding.");
  }
}

export function requestUrl(raw: IncomingMessage): URL {
  const isTls = Boolean((raw.socket as TLSSocket).encrypted);
  const host = raw.headers.host ?? `${raw.socket.localAddress ?? "localhost"}:${raw.socket.localPort ?? ""}`;
  try {
    return new URL(raw.url ?? "/", `${isTls ? "https" : "http"}://${host}`);
  } catch {
    throw new HttpError(400, "BadRequest", "The request URL or Host header is not valid.");
  }
}

async function readBody(raw: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(raw.headers["content-length"] ?? 0);
  if (declared > limit) {
    raw.resume();
    throw new HttpError(413, "PayloadTooLarge", `The request body exceeds ${limit} bytes.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of raw) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, "PayloadTooLarge", `The request body exceeds ${limit} bytes.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function parseBody(contentType: string | undefined, body: Buffer): unknown {
  if (body.length === 0) return undefined;
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  const text = body.toString("utf8");
  if (type === "application/x-www-form-urlencoded") return Object.fromEntries(new URLSearchParams(text));
  if (type === "application/json" || type.endsWith("+json") || type === "" || type === "text/json") {
    try {
      return JSON.parse(text);
    } catch {
      if (type === "") return text;
      throw new HttpError(400, "InvalidRequestContent", "The request content is not valid JSON.");
    }
  }
  return text;
}

/** Fallback error shape for emulators that bring no writer of their own. */
export function writeGenericError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, { error: { code: error.code, message: error.message } }, error.headers);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

export function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "content-length": Buffer.byteLength(html),
    // The sign-in and control pages carry no third-party content; keep them locked down.
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action *; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    ...headers,
  });
  res.end(html);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-length": 0, ...headers });
  res.end();
}

export function redirect(res: ServerResponse, location: string, status = 302): void {
  res.writeHead(status, { location, "content-length": 0, "cache-control": "no-store" });
  res.end();
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
