import "server-only";
import { randomUUID } from "node:crypto";
import { type NextRequest } from "next/server";
import { z, type ZodType } from "zod";
import { type Actor, resolveActor } from "@/lib/auth/actor";
import { hasRole, type TRequiredRole } from "@/lib/auth/roles";
import { env } from "@/lib/env";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import { assertCleanJson, assertCleanParams, assertCleanQuery, decodeBody } from "@/lib/http/clean-input";
import { AppError, isAppError } from "@/lib/http/errors";
import { jsonResponse, searchParamsToObject } from "@/lib/http/json";
import { problemResponse } from "@/lib/http/problem";
import { recordHttpRequest } from "@/lib/http/metrics-hook";
import { type Logger, logger } from "@/lib/log";

// The one wrapper every route handler goes through: request id, authentication and role (401/403),
// Origin check on state-changing cookie requests (CSRF), body size and content type, zod parsing of
// params/query/body (400 malformed JSON, 422 invalid), and one error → problem+json mapping.

type RouteContext = { params: Promise<Record<string, string | string[]>> };

export type HandlerContext<TBody, TQuery, TParams, TRole extends TRequiredRole> = {
  req: NextRequest;
  /** Always set unless the route is public. */
  actor: TRole extends "public" ? Actor | null : Actor;
  body: TBody;
  query: TQuery;
  params: TParams;
  /** The raw request body (only when `rawBody: true`). */
  rawBody: string;
  requestId: string;
  log: Logger;
};

export type RouteOptions<TBody, TQuery, TParams, TResult, TRole extends TRequiredRole> = {
  role: TRole;
  body?: ZodType<TBody>;
  query?: ZodType<TQuery>;
  params?: ZodType<TParams>;
  /** Hand the handler the unparsed body (webhooks verify a signature over the exact bytes). */
  rawBody?: boolean;
  /** Skip the Origin check: only for routes that authenticate by signature, never by cookie. */
  skipOriginCheck?: boolean;
  /** Status of a successful JSON answer (default 200). */
  status?: number;
  /** One line for the API reference. */
  summary?: string;
  /** Shape of the success answer, for the OpenAPI document. */
  response?: ZodType;
  handler: (ctx: HandlerContext<TBody, TQuery, TParams, TRole>) => Promise<TResult | Response>;
};

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const REQUEST_ID = /^[A-Za-z0-9._-]{8,100}$/;

/** What a route declares, readable from its exported handler (OpenAPI document, route × role tests). */
export type RouteMeta = {
  role: TRequiredRole;
  body?: ZodType;
  query?: ZodType;
  params?: ZodType;
  status: number;
  summary?: string;
  response?: ZodType;
};

export type RouteHandler = ((req: NextRequest, context: RouteContext) => Promise<Response>) & { meta: RouteMeta };

export function route<
  TBody = undefined,
  TQuery = undefined,
  TParams = undefined,
  TResult = unknown,
  TRole extends TRequiredRole = TRequiredRole,
>(options: RouteOptions<TBody, TQuery, TParams, TResult, TRole>): RouteHandler {
  const meta: RouteMeta = {
    role: options.role,
    body: options.body,
    query: options.query,
    params: options.params,
    status: options.status ?? 200,
    summary: options.summary,
    response: options.response,
  };
  return Object.assign(handle, { meta });

  async function handle(req: NextRequest, context: RouteContext): Promise<Response> {
    const started = performance.now();
    const incomingId = req.headers.get("x-request-id");
    const requestId = incomingId && REQUEST_ID.test(incomingId) ? incomingId : randomUUID();
    const log = logger().child({ requestId, method: req.method, path: req.nextUrl.pathname });
    let response: Response;
    try {
      response = await run(options, req, context, requestId, log);
    } catch (error) {
      response = errorResponse(error, requestId, log);
    }
    response.headers.set("x-request-id", requestId);
    const ms = performance.now() - started;
    recordHttpRequest(req.method, options, req.nextUrl.pathname, response.status, ms);
    log.info({ status: response.status, ms: Math.round(ms) }, "request");
    return response;
  }
}

async function run<TBody, TQuery, TParams, TResult, TRole extends TRequiredRole>(
  options: RouteOptions<TBody, TQuery, TParams, TResult, TRole>,
  req: NextRequest,
  context: RouteContext,
  requestId: string,
  log: Logger,
): Promise<Response> {
  const actor = options.role === "public" ? null : await resolveActor(req);
  if (options.role !== "public") {
    if (!actor) throw new AppError("UNAUTHENTICATED", { message: "Sign in or send a valid API token" });
    if (!hasRole(actor.role, options.role)) {
      throw new AppError("FORBIDDEN", { message: `This action needs the ${options.role} role` });
    }
  }
  // Cookies ride along on cross-site requests; bearer tokens and signatures do not.
  const usesCookie = !req.headers.get("authorization");
  if (STATE_CHANGING.has(req.method) && usesCookie && !options.skipOriginCheck) checkOrigin(req);

  // NUL, lone surrogates and invalid UTF-8 never reach a route (lib/http/clean-input.ts).
  const rawParams = await context.params;
  assertCleanParams(rawParams);
  assertCleanQuery(req.nextUrl.search);
  const params = options.params ? parse(options.params, rawParams, "path") : (undefined as TParams);
  const query = options.query ? parse(options.query, searchParamsToObject(req.nextUrl.searchParams), "query") : (undefined as TQuery);
  const rawBody = options.body || options.rawBody ? await readBody(req) : "";
  let body = undefined as TBody;
  if (options.body) {
    if (!/^application\/(.+\+)?json\b/i.test(req.headers.get("content-type") ?? "")) {
      throw new AppError("UNSUPPORTED_MEDIA_TYPE", { message: "Send the body as application/json" });
    }
    let json: unknown;
    try {
      json = rawBody === "" ? undefined : JSON.parse(rawBody);
    } catch {
      throw new AppError("MALFORMED_JSON", { message: "The request body is not valid JSON" });
    }
    assertCleanJson(json);
    body = parse(options.body, json, "body");
  }

  const result = await options.handler({
    req,
    actor: actor as HandlerContext<TBody, TQuery, TParams, TRole>["actor"],
    body,
    query,
    params,
    rawBody,
    requestId,
    log,
  });
  if (result instanceof Response) return result;
  if (result === undefined) return new Response(null, { status: 204 });
  return jsonResponse(result, { status: options.status ?? 200 });
}

function checkOrigin(req: NextRequest): void {
  const origin = req.headers.get("origin");
  const allowed = new Set([new URL(env().APP_URL).origin, req.nextUrl.origin]);
  if (!origin || !allowed.has(origin)) {
    throw new AppError("FORBIDDEN", {
      message: origin ? `Cross-site request refused (Origin ${origin})` : "State-changing requests must carry an Origin header",
    });
  }
}

async function readBody(req: NextRequest): Promise<string> {
  const limit = env().MAX_BODY_BYTES;
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > limit) throw new AppError("PAYLOAD_TOO_LARGE", { message: `Request bodies are limited to ${limit} bytes` });
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new AppError("PAYLOAD_TOO_LARGE", { message: `Request bodies are limited to ${limit} bytes` });
    }
    chunks.push(value);
  }
  return decodeBody(Buffer.concat(chunks));
}

function parse<T>(schema: ZodType<T>, input: unknown, where: "path" | "query" | "body"): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join("."),
    message: issue.message,
  }));
  if (where === "body" && input === undefined) {
    throw new AppError("VALIDATION", { message: "A JSON request body is required", details: { errors } });
  }
  throw new AppError("VALIDATION", {
    message: `Invalid ${where}: ${errors
      .slice(0, 3)
      .map((e) => `${e.path} ${e.message}`)
      .join("; ")}`,
    details: { errors },
  });
}

export function errorResponse(error: unknown, requestId: string, log: Logger): Response {
  const appError = toAppError(error);
  if (appError.status >= 500) log.error({ err: error, code: appError.code }, appError.message);
  else log.debug({ code: appError.code }, appError.message);
  const details = appError.details as { errors?: Array<{ path: string; message: string }> } | undefined;
  const headers: HeadersInit = appError.retryAfterSeconds ? { "retry-after": String(appError.retryAfterSeconds) } : {};
  return problemResponse(
    {
      status: appError.status,
      code: appError.code,
      detail: appError.userMessage,
      requestId,
      ...(details?.errors ? { errors: details.errors } : appError.details !== undefined ? { details: appError.details } : {}),
    },
    headers,
  );
}

/** Maps anything thrown to an AppError: ours as is, Prisma's known codes, zod, an unreachable database (503), else INTERNAL. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (error instanceof z.ZodError) {
    return new AppError("VALIDATION", {
      message: "Invalid input",
      details: { errors: error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) },
    });
  }
  const prismaCode = (error as { code?: unknown; name?: unknown } | null)?.code;
  const isPrisma =
    typeof (error as { name?: unknown } | null)?.name === "string" && String((error as { name: string }).name).startsWith("PrismaClient");
  if (isPrisma && prismaCode === "P2002")
    return new AppError("CONFLICT", { message: "A record with the same unique key already exists", cause: error });
  if (isPrisma && prismaCode === "P2025") return new AppError("NOT_FOUND", { message: "Record not found", cause: error });
  if (isDatabaseUnavailable(error)) {
    return new AppError("SERVICE_UNAVAILABLE", {
      message: `Database unavailable: ${error instanceof Error ? error.message : String(error)}`,
      userMessage: "The database is unavailable; try again in a few seconds",
      retryAfterSeconds: 5,
      cause: error,
    });
  }
  return new AppError("INTERNAL", { message: error instanceof Error ? error.message : "Unknown error", cause: error });
}
