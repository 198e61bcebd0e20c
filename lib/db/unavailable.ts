// Whether an error means "the database cannot be reached right now" (down, restarting, connection
// dropped) rather than a bug: such requests answer 503 with Retry-After, not 500.

/** Prisma's connection-level error codes (https://www.prisma.io/docs/orm/reference/error-reference). */
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
/** Socket errors and PostgreSQL's connection-exception / operator-intervention SQLSTATEs (class 08, 57P0x). */
const DRIVER_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  "57P01",
  "57P02",
  "57P03",
]);
/** Prisma's driver-adapter error kinds for the same conditions. */
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "DatabaseDoesNotExist", "SocketTimeout", "TooManyConnections", "ConnectionClosed"]);
/** node-postgres ends pending queries with these messages when the server goes away. */
const DRIVER_MESSAGES = [/^Connection terminated/, /Client has encountered a connection error/, /timeout exceeded when trying to connect/];

type Shape = {
  code?: unknown;
  kind?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: { cause?: { kind?: unknown } } };
};

export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let e = error as Shape | undefined; e && typeof e === "object" && !seen.has(e); e = e.cause as Shape | undefined) {
    seen.add(e);
    if (typeof e.code === "string" && (PRISMA_CODES.has(e.code) || DRIVER_CODES.has(e.code))) return true;
    if (typeof e.kind === "string" && ADAPTER_KINDS.has(e.kind)) return true;
    const adapterKind = e.meta?.driverAdapterError?.cause?.kind;
    if (typeof adapterKind === "string" && ADAPTER_KINDS.has(adapterKind)) return true;
    if (typeof e.message === "string" && DRIVER_MESSAGES.some((re) => re.test(e.message as string))) return true;
  }
  return false;
}
