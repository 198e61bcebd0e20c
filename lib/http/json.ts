// JSON responses that survive BigInt ids (sync events, audit rows) and never get cached.

const bigintAsString = (_key: string, v: unknown) => (typeof v === "bigint" ? v.toString() : v);

/**
 * JSON of an answer; BigInts become strings. Plain JSON.stringify first: a replacer is called for every
 * value (0.6 against 0.4 ms for a 100-finding page), and only a few answers carry BigInts — JSON.stringify
 * throws a TypeError on the first one, and then the answer is written again with the replacer.
 */
export function toJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return JSON.stringify(value, bigintAsString);
  }
}

export function jsonResponse(value: unknown, init: { status?: number; headers?: HeadersInit } = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json; charset=utf-8");
  if (!headers.has("cache-control")) headers.set("cache-control", "no-store");
  return new Response(toJson(value), { status: init.status ?? 200, headers });
}

/** URLSearchParams → plain object; a key given several times becomes an array. */
export function searchParamsToObject(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    out[key] = values.length > 1 ? values : values[0];
  }
  return out;
}
