// Authentication of REST requests (HTTP Basic or an OAuth bearer token) and the instance's error shape.
import type { ServerResponse } from "node:http";
import { type EmulatorRequest, HttpError, sendJson } from "../common/http";
import { type Actor } from "./business-rules";
import { type OAuthServer } from "./oauth";
import { actorOf, findApiUser } from "./users";

const unauthenticated = () =>
  new HttpError(
    401,
    "Unauthenticated",
    "User Not Authenticated",
    { "www-authenticate": 'BASIC realm="Service-now"' },
    "Required to provide Auth information",
  );

export function authenticate(req: EmulatorRequest, oauth: OAuthServer): Actor {
  const header = req.headers.authorization ?? "";
  const [scheme, ...rest] = header.split(" ");
  const credential = rest.join(" ").trim();
  if (scheme?.toLowerCase() === "basic" && credential) {
    const decoded = Buffer.from(credential, "base64").toString("utf8");
    const i = decoded.indexOf(":");
    const user = i >= 0 ? findApiUser(decoded.slice(0, i), decoded.slice(i + 1)) : undefined;
    if (user) return actorOf(user);
  }
  if (scheme?.toLowerCase() === "bearer" && credential) {
    const user = oauth.userForAccessToken(credential);
    if (user) return actorOf(user);
  }
  throw unauthenticated();
}

/**
 * ServiceNow's error body: `{"error":{"message","detail"},"status":"failure"}`. Also renders the
 * router's own errors (bad JSON, unknown path) and injected faults the way the instance would.
 */
export function writeServiceNowError(res: ServerResponse, error: HttpError): void {
  let status = error.status;
  let message = error.message;
  let detail: string | null = error.detail ?? null;
  if (error.code === "InvalidRequestContent") {
    message = "Exception while reading request";
    detail = "The payload is not valid JSON.";
  } else if (error.code === "NotFound" || error.code === "MethodNotAllowed") {
    status = 400;
    message = "Requested URI does not represent any resource";
    detail = null;
  } else if (error.message.startsWith("Injected fault")) {
    message = status === 429 ? "Too Many Requests" : status === 503 ? "Service Unavailable" : "Internal Server Error";
    detail = error.message;
  }
  sendJson(res, status, { error: { message, detail }, status: "failure" }, error.headers);
}
