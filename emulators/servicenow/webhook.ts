// Outbound notification emulating an "after update" business rule with a REST message: on every update
// of a configured table the instance POSTs the record to a URL, signed for PostureDesk's webhook:
//   X-PostureDesk-Timestamp: <unix seconds>
//   X-PostureDesk-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>
// Fire-and-forget with a short timeout; every attempt is recorded and readable through the control API.
// The timestamp is the host's wall-clock time, not the emulated clock: it proves freshness to the
// receiver, whose replay window is measured on real time.
import { createHmac, randomUUID } from "node:crypto";
import { z } from "zod";
import { type SnRecord } from "./query-engine";

export const WEBHOOK_TABLES = ["incident", "problem", "change_request", "sn_vulc_result_group"] as const;
/** Default tables of a webhook configuration: the ITSM ticket tables (CC tasks are read by the sync). */
export const DEFAULT_WEBHOOK_TABLES = ["incident", "problem", "change_request"] as const;

export const ZWebhookSettings = z
  .object({
    url: z
      .string()
      .trim()
      .url()
      .refine((u) => /^https?:\/\//i.test(u), "must be an http(s) URL"),
    secret: z.string().min(1).max(512),
    tables: z.array(z.enum(WEBHOOK_TABLES)).min(1).optional(),
  })
  .strict();

export type WebhookSettings = { url: string; secret: string; tables: string[] };

export type WebhookDelivery = {
  id: string;
  at: string;
  url: string;
  table: string;
  sys_id: string;
  number: string;
  /** HTTP status of the receiver's answer; null when the request failed (error says why). */
  status: number | null;
  error: string | null;
  durationMs: number;
  body: string;
  timestamp: string;
  signature: string;
};

export type WebhookState = { settings: WebhookSettings | null; deliveries: WebhookDelivery[] };

const MAX_DELIVERIES = 500;
const TIMEOUT_MS = 5_000;

export function createWebhookState(): WebhookState {
  return { settings: null, deliveries: [] };
}

export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** The record as the notification sends it: stored (actual) values plus what changed. */
export function webhookPayload(
  table: string,
  record: SnRecord,
  changed: string[],
  displayOf: (field: string) => string,
): Record<string, unknown> {
  const pick = (f: string) => record[f] ?? "";
  return {
    table,
    sys_id: pick("sys_id"),
    number: pick("number"),
    state: pick("state"),
    state_display: displayOf("state"),
    active: pick("active"),
    priority: pick("priority"),
    short_description: pick("short_description"),
    assigned_to: pick("assigned_to"),
    assigned_to_display: displayOf("assigned_to"),
    assignment_group: pick("assignment_group"),
    assignment_group_display: displayOf("assignment_group"),
    due_date: pick("due_date"),
    correlation_id: pick("correlation_id"),
    correlation_display: pick("correlation_display"),
    close_code: pick("close_code"),
    sys_updated_on: pick("sys_updated_on"),
    sys_updated_by: pick("sys_updated_by"),
    sys_mod_count: pick("sys_mod_count"),
    changed_fields: changed,
  };
}

/** Sends one notification if the table is configured; never throws, never blocks the request. */
export function fireWebhook(state: WebhookState, table: string, payload: Record<string, unknown>): Promise<void> | undefined {
  const settings = state.settings;
  if (!settings || !settings.tables.includes(table)) return undefined;
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = signWebhook(settings.secret, timestamp, body);
  const delivery: WebhookDelivery = {
    id: randomUUID(),
    at: new Date().toISOString(),
    url: settings.url,
    table,
    sys_id: String(payload.sys_id ?? ""),
    number: String(payload.number ?? ""),
    status: null,
    error: null,
    durationMs: 0,
    body,
    timestamp,
    signature,
  };
  state.deliveries.push(delivery);
  if (state.deliveries.length > MAX_DELIVERIES) state.deliveries.splice(0, state.deliveries.length - MAX_DELIVERIES);
  const started = performance.now();
  return fetch(settings.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": "ServiceNow/1.0 (PostureDesk emulator)",
      "x-posturedesk-timestamp": timestamp,
      "x-posturedesk-signature": signature,
    },
    body,
    signal: AbortSignal.timeout(TIMEOUT_MS),
    redirect: "manual",
  })
    .then(async (response) => {
      delivery.status = response.status;
      await response.body?.cancel();
    })
    .catch((error: unknown) => {
      delivery.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    })
    .finally(() => {
      delivery.durationMs = Math.round(performance.now() - started);
    });
}
