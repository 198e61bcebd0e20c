// Entra ID's OAuth error shape: `{ error, error_description: "AADSTS<n>: …\r\nTrace ID: …", error_codes: [n],
// timestamp, trace_id, correlation_id, error_uri }`. Clients (MSAL) surface `error` and the AADSTS code.
import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { HttpError, sendJson } from "../common/http";

/** An OAuth error with its AADSTS number. */
export function aadError(status: number, error: string, aadsts: number, message: string, headers: Record<string, string> = {}): HttpError {
  return new HttpError(status, error, `AADSTS${aadsts}: ${message}`, headers);
}

const GENERIC: Record<number, [string, number]> = {
  400: ["invalid_request", 900144],
  404: ["invalid_request", 90002],
  405: ["invalid_request", 900561],
  413: ["invalid_request", 90014],
  429: ["temporarily_unavailable", 50196],
  500: ["server_error", 90033],
  502: ["server_error", 90033],
  503: ["temporarily_unavailable", 90033],
  504: ["temporarily_unavailable", 90033],
};

export function writeEntraError(res: ServerResponse, error: HttpError): void {
  let code = error.code;
  let description = error.message;
  const match = /^AADSTS(\d+):/.exec(description);
  let aadsts = match ? Number(match[1]) : undefined;
  if (aadsts === undefined) {
    const [genericCode, genericNumber] = GENERIC[error.status] ?? ["invalid_request", 900144];
    code = genericCode;
    aadsts = genericNumber;
    description = `AADSTS${aadsts}: ${description}`;
  }
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, "Z");
  sendJson(
    res,
    error.status,
    {
      error: code,
      error_description: `${description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [aadsts],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${aadsts}`,
    },
    { "cache-control": "no-store", ...error.headers },
  );
}
