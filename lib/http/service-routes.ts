import "server-only";
import { type ZodType } from "zod";
import { type Actor } from "@/lib/auth/actor";
import { type TRequiredRole } from "@/lib/auth/roles";
import { route, type RouteHandler } from "@/lib/http/route";
import { routeById } from "@/lib/http/route-by-id";

// Routes that only hand their parsed input to one service function of the usual shape:
//
//   listRoute(list, …)      GET  /things       list(actor, query)
//   createRoute(create, …)  POST /things       create(actor, body, { requestId }), answered 201
//   getRoute(get, …)        GET  /things/{id}  get(actor, id)
//   updateRoute(update, …)  PATCH /things/{id} update(actor, id, body, { requestId })
//   removeRoute(remove, …)  DELETE /things/{id} remove(actor, id, { requestId }) (204 when it returns nothing)
//
// The route file states what the API reference shows (summary, role, zod schemas); route() and
// routeById() do the rest. A route that does anything more than call its service uses them directly.

type Role = Exclude<TRequiredRole, "public">;
type Meta = { requestId?: string };
type Described = { summary: string; role: Role; response?: ZodType };

export function listRoute<TQuery, TResult>(
  list: (actor: Actor, query: TQuery) => Promise<TResult>,
  options: Described & { query: ZodType<TQuery> },
): RouteHandler {
  return route({ ...options, handler: ({ actor, query }) => list(actor, query) });
}

export function createRoute<TBody, TResult>(
  create: (actor: Actor, body: TBody, meta: Meta) => Promise<TResult>,
  options: Described & { body: ZodType<TBody> },
): RouteHandler {
  return route({ ...options, status: 201, handler: ({ actor, body, requestId }) => create(actor, body, { requestId }) });
}

export function getRoute<TResult>(get: (actor: Actor, id: string) => Promise<TResult>, options: Described): RouteHandler {
  return routeById({ ...options, handler: ({ actor, id }) => get(actor, id) });
}

export function updateRoute<TBody, TResult>(
  update: (actor: Actor, id: string, body: TBody, meta: Meta) => Promise<TResult>,
  options: Described & { body: ZodType<TBody> },
): RouteHandler {
  return routeById({ ...options, handler: ({ actor, id, body, requestId }) => update(actor, id, body, { requestId }) });
}

export function removeRoute<TResult>(remove: (actor: Actor, id: string, meta: Meta) => Promise<TResult>, options: Described): RouteHandler {
  return routeById({ ...options, handler: ({ actor, id, requestId }) => remove(actor, id, { requestId }) });
}
