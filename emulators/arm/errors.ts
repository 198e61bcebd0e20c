// ARM's error shape: `{ "error": { "code", "message", "details"? } }`, with the request-id headers ARM
// adds to every answer.
import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { HttpError, sendJson } from "../common/http";

export function armError(status: number, code: string, message: string, headers: Record<string, string> = {}): HttpError {
  return new HttpError(status, code, message, headers);
}

export function requestIdHeaders(): Record<string, string> {
  const id = randomUUID();
  return {
    "x-ms-request-id": id,
    "x-ms-correlation-request-id": id,
    "x-ms-routing-request-id": `WESTEUROPE:${new Date().toISOString().replace(/[-:.]/g, "").slice(0, 15)}Z:${id}`,
  };
}

export function writeArmError(res: ServerResponse, error: HttpError): void {
  const body: { error: { code: string; message: string; details?: unknown[] } } = { error: { code: error.code, message: error.message } };
  if (error.detail) {
    // "InvalidQuery: …" becomes a detail with that code (Resource Graph's shape); other details are validation errors.
    const m = /^([A-Z][A-Za-z]+): ([\s\S]*)$/.exec(error.detail);
    body.error.details = [m ? { code: m[1], message: m[2] } : { code: "ValidationError", message: error.detail }];
  }
  sendJson(res, error.status, body, { ...requestIdHeaders(), ...error.headers });
}

export function notFound(what: string): HttpError {
  return armError(
    404,
    "ResourceNotFound",
    `The Resource '${what}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}
