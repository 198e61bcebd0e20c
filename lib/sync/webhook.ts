import "server-only";

// POST /api/webhooks/servicenow/{connectionId}: ServiceNow's business rule tells us a ticket changed.
// Authenticated by HMAC-SHA256 over timestamp + "." + body with the connection's webhook secret,
// 5-minute window (and at most 60 s ahead of our clock), constant-time compare (signature.ts). Each
// accepted signature is remembered in PostgreSQL (WebhookReplay) for the window, so a replay is
// refused on every instance. Every refusal — unknown connection, none configured, missing, malformed,
// stale, future, wrong or replayed signature — gets the same 401 and the same words, after the same
// work (an HMAC is computed for unknown connections too), so the answer tells an outsider nothing about
// which connections exist; the reason goes to the log. The body only names the record; the targeted
// run reads it again from ServiceNow. Answers fast: 202 with the queued run, or 200 "ignored" for a
// record this connection does not track.
export { WEBHOOK_REFUSED_MESSAGE, receiveServiceNowWebhook } from "./webhook-sql";

export const TIMESTAMP_HEADER = "x-posturedesk-timestamp";
export const SIGNATURE_HEADER = "x-posturedesk-signature";
