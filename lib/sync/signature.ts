// The webhook's signature (docs/OPERATIONS.md): ServiceNow's REST message sends
//   X-PostureDesk-Timestamp: <unix seconds>
//   X-PostureDesk-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>
// The MAC may also be base64 (what ServiceNow's GlideCertificateEncryption.generateMac returns), so the
// business rule needs no hex conversion. Signing the timestamp with the body lets the receiver refuse replays older than the window; the
// comparison is constant-time so the signature cannot be guessed byte by byte.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export const REPLAY_WINDOW_SECONDS = 300;
/** Clocks differ a little; a timestamp further ahead than this is refused. */
export const MAX_FUTURE_SECONDS = 60;

export function signWebhookBody(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export type SignatureCheck = { isValid: true } | { isValid: false; reason: "missing" | "malformed" | "stale" | "future" | "mismatch" };

export function verifyWebhookSignature(input: {
  secret: string;
  timestamp: string | null;
  signature: string | null;
  body: string;
  nowMs?: number;
}): SignatureCheck {
  const { timestamp, signature } = input;
  if (!timestamp || !signature) return { isValid: false, reason: "missing" };
  const mac = decodeMac(signature.trim());
  if (!/^\d{1,12}$/.test(timestamp) || !mac) return { isValid: false, reason: "malformed" };
  const ageSeconds = (input.nowMs ?? Date.now()) / 1000 - Number(timestamp);
  if (ageSeconds > REPLAY_WINDOW_SECONDS) return { isValid: false, reason: "stale" };
  if (-ageSeconds > MAX_FUTURE_SECONDS) return { isValid: false, reason: "future" };
  const expected = Buffer.from(signWebhookBody(input.secret, timestamp, input.body).slice(7), "hex");
  if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) return { isValid: false, reason: "mismatch" };
  return { isValid: true };
}

/**
 * What identifies one signed notification for replay detection: SHA-256 of the decoded MAC (hex and
 * base64 spellings of the same MAC are the same notification). Null for a malformed signature.
 */
export function replayKey(signature: string): string | null {
  const mac = decodeMac(signature.trim());
  return mac ? createHash("sha256").update(mac).digest("hex") : null;
}

/** The 32 bytes of "sha256=<64 hex>" or "sha256=<44 base64>", else null. */
function decodeMac(value: string): Buffer | null {
  const m = /^sha256=(.+)$/i.exec(value);
  if (!m) return null;
  const text = m[1]!;
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, "hex");
  if (/^[A-Za-z0-9+/]{43}=$/.test(text)) return Buffer.from(text, "base64");
  return null;
}
