import "server-only";
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { env } from "@/lib/env";
import { AppError } from "@/lib/http/errors";

// Secrets at rest: AES-256-GCM with a random 96-bit IV per value. The ciphertext names the key that
// sealed it (first 8 hex chars of its SHA-256), so a rotation can keep old keys for decryption only
// (ENCRYPTION_KEYS_PREVIOUS) while everything new is sealed with ENCRYPTION_KEY.
// Format: "v1.<keyId>.<iv>.<tag>.<ciphertext>" (base64url parts).

const VERSION = "v1";

type Key = { id: string; bytes: Buffer };

function toKey(base64: string): Key {
  const bytes = Buffer.from(base64, "base64");
  return { id: createHash("sha256").update(bytes).digest("hex").slice(0, 8), bytes };
}

function keys(): { current: Key; all: Key[] } {
  const e = env();
  const current = toKey(e.ENCRYPTION_KEY);
  return { current, all: [current, ...e.ENCRYPTION_KEYS_PREVIOUS.map(toKey)] };
}

export function encryptSecret(plaintext: string): string {
  const { current } = keys();
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", current.bytes, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, current.id, iv.toString("base64url"), tag.toString("base64url"), ciphertext.toString("base64url")].join(".");
}

export function decryptSecret(sealed: string): string {
  const parts = sealed.split(".");
  if (parts.length !== 5 || parts[0] !== VERSION) {
    throw new AppError("INTERNAL", { message: "Stored secret has an unknown format" });
  }
  const [, keyId, iv, tag, ciphertext] = parts;
  const key = keys().all.find((k) => k.id === keyId);
  if (!key) {
    throw new AppError("INTERNAL", {
      message: `Stored secret was sealed with key ${keyId}, which is neither ENCRYPTION_KEY nor in ENCRYPTION_KEYS_PREVIOUS`,
    });
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.bytes, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch (cause) {
    throw new AppError("INTERNAL", { message: "Stored secret failed authentication (tampered or wrong key)", cause });
  }
}

/** Whether a sealed value uses an older key and should be re-encrypted (key rotation). */
export function needsReencryption(sealed: string): boolean {
  return sealed.split(".")[1] !== keys().current.id;
}

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}
