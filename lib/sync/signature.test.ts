import { createHmac } from "node:crypto";
import { describe, expect, test } from "vitest";
import { signWebhookBody, verifyWebhookSignature } from "./signature";

const secret = "s3cret";
const body = '{"table":"incident","sys_id":"0123456789abcdef0123456789abcdef"}';
const now = 1_800_000_000_000;
const ts = String(now / 1000);

describe("verifyWebhookSignature", () => {
  test("returns valid for HMAC-SHA256(secret, timestamp + '.' + body) within five minutes", () => {
    const signature = `sha256=${createHmac("sha256", secret).update(`${ts}.${body}`).digest("hex")}`;
    expect(signWebhookBody(secret, ts, body)).toBe(signature);
    expect(verifyWebhookSignature({ secret, timestamp: ts, signature, body, nowMs: now })).toEqual({ isValid: true });
    expect(
      verifyWebhookSignature({
        secret,
        timestamp: ts,
        signature: signature.toUpperCase().replace("SHA256=", "sha256="),
        body,
        nowMs: now + 299_000,
      }),
    ).toEqual({ isValid: true });
    // ServiceNow's generateMac answers base64: accepted as well.
    const base64 = `sha256=${createHmac("sha256", secret).update(`${ts}.${body}`).digest("base64")}`;
    expect(verifyWebhookSignature({ secret, timestamp: ts, signature: base64, body, nowMs: now })).toEqual({ isValid: true });
  });

  test("returns the reason when headers are missing, malformed, stale, from the future, or the signature does not match", () => {
    const signature = signWebhookBody(secret, ts, body);
    expect(verifyWebhookSignature({ secret, timestamp: null, signature, body, nowMs: now })).toEqual({ isValid: false, reason: "missing" });
    expect(verifyWebhookSignature({ secret, timestamp: ts, signature: null, body, nowMs: now })).toEqual({
      isValid: false,
      reason: "missing",
    });
    expect(verifyWebhookSignature({ secret, timestamp: "yesterday", signature, body, nowMs: now })).toEqual({
      isValid: false,
      reason: "malformed",
    });
    expect(verifyWebhookSignature({ secret, timestamp: ts, signature: "md5=abc", body, nowMs: now })).toEqual({
      isValid: false,
      reason: "malformed",
    });
    expect(verifyWebhookSignature({ secret, timestamp: ts, signature, body, nowMs: now + 301_000 })).toEqual({
      isValid: false,
      reason: "stale",
    });
    // A timestamp ahead of our clock: tolerated up to 60 s (clock skew), refused beyond.
    expect(verifyWebhookSignature({ secret, timestamp: ts, signature, body, nowMs: now - 60_000 })).toEqual({ isValid: true });
    expect(verifyWebhookSignature({ secret, timestamp: ts, signature, body, nowMs: now - 61_000 })).toEqual({
      isValid: false,
      reason: "future",
    });
    expect(verifyWebhookSignature({ secret, timestamp: ts, signature, body, nowMs: now - 301_000 })).toEqual({
      isValid: false,
      reason: "future",
    });
    expect(verifyWebhookSignature({ secret: "other", timestamp: ts, signature, body, nowMs: now })).toEqual({
      isValid: false,
      reason: "mismatch",
    });
    expect(verifyWebhookSignature({ secret, timestamp: ts, signature, body: `${body} `, nowMs: now })).toEqual({
      isValid: false,
      reason: "mismatch",
    });
    // The timestamp is signed: moving it (to dodge the window) breaks the signature.
    expect(verifyWebhookSignature({ secret, timestamp: String(Number(ts) + 1), signature, body, nowMs: now })).toEqual({
      isValid: false,
      reason: "mismatch",
    });
  });
});
