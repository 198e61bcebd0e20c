// The token signing key: RSA 2048 generated once per process (kept across reset/reseed so tokens already
// issued stay verifiable), published as a JWKS with a `kid` that every token header names.
import { createHash, generateKeyPairSync, type KeyObject } from "node:crypto";
import { exportJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from "jose";

export type SigningKey = {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  jwks(): Promise<{ keys: JWK[] }>;
  sign(claims: JWTPayload): Promise<string>;
  /** Verifies signature, algorithm and issuer at the given (emulated) time; throws on failure. */
  verify(token: string, options: { issuer: string; now: number }): Promise<JWTPayload>;
};

export function createSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const der = publicKey.export({ type: "spki", format: "der" });
  // Entra kids look like base64url thumbprints; this one is derived from the public key.
  const kid = createHash("sha256").update(der).digest("base64url").slice(0, 27);
  return {
    kid,
    privateKey,
    publicKey,
    async jwks() {
      const jwk = await exportJWK(publicKey);
      return { keys: [{ kty: "RSA", use: "sig", kid, alg: "RS256", n: jwk.n, e: jwk.e }] };
    },
    sign: (claims) => new SignJWT(claims).setProtectedHeader({ alg: "RS256", typ: "JWT", kid }).sign(privateKey),
    async verify(token, { issuer, now }) {
      const { payload } = await jwtVerify(token, publicKey, {
        algorithms: ["RS256"],
        issuer,
        currentDate: new Date(now),
        clockTolerance: 60,
      });
      return payload;
    },
  };
}
