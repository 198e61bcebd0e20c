// problem+json (RFC 9457) bodies for every error the API returns.

export type TProblem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId: string;
  /** Field-level validation errors. */
  errors?: Array<{ path: string; message: string }>;
  details?: unknown;
};

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

export function problemResponse(
  problem: Omit<TProblem, "type" | "title"> & { type?: string; title?: string },
  headers?: HeadersInit,
): Response {
  const body: TProblem = {
    type: problem.type ?? `https://posturedesk.dev/problems/${problem.code.toLowerCase().replace(/_/g, "-")}`,
    title: problem.title ?? TITLES[problem.status] ?? "Error",
    ...problem,
  };
  const h = new Headers(headers);
  h.set("content-type", "application/problem+json");
  h.set("x-request-id", problem.requestId);
  h.set("cache-control", "no-store");
  return new Response(JSON.stringify(body), { status: problem.status, headers: h });
}
