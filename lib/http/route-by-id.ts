import "server-only";
import { type TRequiredRole } from "@/lib/auth/roles";
import { type HandlerContext, route, type RouteHandler, type RouteOptions } from "@/lib/http/route";
import { ZIdParams } from "@/lib/schemas/common";

// `route()` for the routes of one record, `…/[id]/…`: the path's `id` is parsed with ZIdParams (a UUID;
// 422 otherwise, and documented as such in the OpenAPI document) and handed to the handler as `id`.
// Everything else (role, query, body, status, response, errors) is exactly `route()`'s.

type IdParams = { id: string };

export type RouteByIdOptions<TBody, TQuery, TResult, TRole extends TRequiredRole> = Omit<
  RouteOptions<TBody, TQuery, IdParams, TResult, TRole>,
  "params" | "handler"
> & {
  handler: (ctx: HandlerContext<TBody, TQuery, IdParams, TRole> & { id: string }) => Promise<TResult | Response>;
};

export function routeById<TBody = undefined, TQuery = undefined, TResult = unknown, TRole extends TRequiredRole = TRequiredRole>(
  options: RouteByIdOptions<TBody, TQuery, TResult, TRole>,
): RouteHandler {
  const { handler, ...rest } = options;
  return route<TBody, TQuery, IdParams, TResult, TRole>({
    ...rest,
    params: ZIdParams,
    handler: (ctx) => handler({ ...ctx, id: ctx.params.id }),
  });
}
