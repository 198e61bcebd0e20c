// Local certificate authority for the emulators.
//
// `ensureCertificates(dir)` creates, once, a CA and a server certificate for localhost / 127.0.0.1 / ::1
// under `dir` and reuses them afterwards (regenerating the server certificate when it nears expiry or
// lacks a requested host). It is synchronous on purpose: vitest.config.ts calls it at config load, before
// any worker is forked, so that `NODE_EXTRA_CA_CERTS` is in place when each worker starts (Node reads that
// variable only at process start). Key pairs come from `crypto.generateKeyPairSync` (native, fast);
// node-forge only assembles and signs the X.509 structures.
//
// `bundlePath` = the PEM file NODE_EXTRA_CA_CERTS pointed to when this ran (unless it already is our
// bundle) + our CA. Start any process that talks to the emulators with NODE_EXTRA_CA_CERTS=<bundlePath>.
import { createPrivateKey, generateKeyPairSync, randomBytes, X509Certificate } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import path from "node:path";
import forge from "node-forge";

export type CertificatePaths = {
  /** PEM of the local CA (trust this). */
  caCertPath: string;
  /** PEM of the server certificate (localhost, 127.0.0.1, ::1, plus any extra hosts). */
  certPath: string;
  /** PEM of the server private key. */
  keyPath: string;
  /** PEM bundle for NODE_EXTRA_CA_CERTS: the previous extra CAs, if any, plus our CA. */
  bundlePath: string;
};

export type EnsureCertificatesOptions = {
  /** Extra DNS names or IP addresses for the server certificate (e.g. a host name used in a LAN demo). */
  extraHosts?: string[];
};

const DEFAULT_HOSTS = ["localhost", "127.0.0.1", "::1"];
const CA_YEARS = 10;
const SERVER_DAYS = 397;
/** Regenerate the server certificate when it has less than this left. */
const RENEW_BEFORE_MS = 14 * 24 * 3600 * 1000;
const LOCK_STALE_MS = 30_000;

export function ensureCertificates(dir: string, options: EnsureCertificatesOptions = {}): CertificatePaths {
  const root = path.resolve(dir);
  mkdirSync(root, { recursive: true });
  const paths: CertificatePaths = {
    caCertPath: path.join(root, "ca.pem"),
    certPath: path.join(root, "server.pem"),
    keyPath: path.join(root, "server-key.pem"),
    bundlePath: path.join(root, "ca-bundle.pem"),
  };
  const caKeyPath = path.join(root, "ca-key.pem");
  const hosts = [...new Set([...DEFAULT_HOSTS, ...(options.extraHosts ?? [])])];

  // Several processes may start at once (the launcher and a test run): one creates, the others wait.
  withLock(path.join(root, ".lock"), () => {
    let isCaNew = false;
    if (!isUsableCa(paths.caCertPath, caKeyPath)) {
      const ca = createCa();
      writeAtomic(caKeyPath, ca.keyPem, 0o600);
      writeAtomic(paths.caCertPath, ca.certPem, 0o644);
      isCaNew = true;
    }
    if (isCaNew || !isUsableServerCert(paths.certPath, paths.keyPath, paths.caCertPath, hosts)) {
      const server = createServerCert(readFileSync(paths.caCertPath, "utf8"), readFileSync(caKeyPath, "utf8"), hosts);
      writeAtomic(paths.keyPath, server.keyPem, 0o600);
      writeAtomic(paths.certPath, server.certPem, 0o644);
    }
    writeBundle(root, paths);
  });
  return paths;
}

function writeBundle(root: string, paths: CertificatePaths): void {
  const basePathFile = path.join(root, "ca-bundle.base");
  const fromEnv = process.env.NODE_EXTRA_CA_CERTS;
  // When this process was itself started with our bundle, keep the base recorded by the first caller.
  let base: string | null;
  if (fromEnv && path.resolve(fromEnv) !== paths.bundlePath) base = path.resolve(fromEnv);
  else base = existsSync(basePathFile) ? readFileSync(basePathFile, "utf8").trim() || null : null;

  const parts: string[] = [];
  if (base && existsSync(base)) parts.push(readFileSync(base, "utf8").trimEnd());
  parts.push(`# PostureDesk emulators local CA\n${readFileSync(paths.caCertPath, "utf8").trim()}`);
  const bundle = `${parts.join("\n")}\n`;
  if (!existsSync(paths.bundlePath) || readFileSync(paths.bundlePath, "utf8") !== bundle) {
    writeAtomic(paths.bundlePath, bundle, 0o644);
  }
  if (base) writeAtomic(basePathFile, `${base}\n`, 0o644);
}

function isUsableCa(certPath: string, keyPath: string): boolean {
  if (!existsSync(certPath) || !existsSync(keyPath)) return false;
  try {
    const cert = new X509Certificate(readFileSync(certPath));
    return cert.ca && Date.parse(cert.validTo) - Date.now() > RENEW_BEFORE_MS && cert.checkPrivateKey(readPrivateKey(keyPath));
  } catch {
    return false;
  }
}

function isUsableServerCert(certPath: string, keyPath: string, caPath: string, hosts: string[]): boolean {
  if (!existsSync(certPath) || !existsSync(keyPath)) return false;
  try {
    const cert = new X509Certificate(readFileSync(certPath));
    const ca = new X509Certificate(readFileSync(caPath));
    if (!cert.verify(ca.publicKey) || !cert.checkPrivateKey(readPrivateKey(keyPath))) return false;
    if (Date.parse(cert.validTo) - Date.now() < RENEW_BEFORE_MS) return false;
    return hosts.every((h) => (isIP(h) ? cert.checkIP(h) !== undefined : cert.checkHost(h) !== undefined));
  } catch {
    return false;
  }
}

function readPrivateKey(keyPath: string) {
  return createPrivateKey(readFileSync(keyPath));
}

function newKeyPair() {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  return { publicPem: publicKey, privatePem: privateKey };
}

function serialNumber(): string {
  // Positive 16-byte serial: forge reads it as a hex string; a leading 0x01..0x7f keeps it positive.
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString("hex");
}

function createCa(): { certPem: string; keyPem: string } {
  const keys = newKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicPem);
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + CA_YEARS * 365 * 24 * 3600 * 1000);
  const subject = [
    { name: "commonName", value: "PostureDesk Emulators Local CA" },
    { name: "organizationName", value: "PostureDesk (local development)" },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: "basicConstraints", cA: true, pathLenConstraint: 0, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  const privateKey = forge.pki.privateKeyFromPem(keys.privatePem);
  cert.sign(privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privatePem };
}

function createServerCert(caCertPem: string, caKeyPem: string, hosts: string[]): { certPem: string; keyPem: string } {
  const caCert = forge.pki.certificateFromPem(caCertPem);
  const caKey = forge.pki.privateKeyFromPem(caKeyPem);
  const keys = newKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicPem);
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + SERVER_DAYS * 24 * 3600 * 1000);
  cert.setSubject([{ name: "commonName", value: "localhost" }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: "basicConstraints", cA: false, critical: true },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    {
      name: "subjectAltName",
      altNames: hosts.map((h) => (isIP(h) ? { type: 7, ip: h } : { type: 2, value: h })),
    },
    { name: "subjectKeyIdentifier" },
    { name: "authorityKeyIdentifier", keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privatePem };
}

function writeAtomic(file: string, content: string, mode: number): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(tmp, content, { mode });
  renameSync(tmp, file);
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function withLock(lockPath: string, fn: () => void): void {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      closeSync(openSync(lockPath, "wx"));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      try {
        // A lock left by a crashed process must not block every later start.
        if (Date.now() - statSync(lockPath).mtimeMs > LOCK_STALE_MS) rmSync(lockPath, { force: true });
      } catch {
        // The holder removed it between our checks: try again.
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for the certificate lock ${lockPath}`);
      sleepSync(50);
    }
  }
  try {
    fn();
  } finally {
    rmSync(lockPath, { force: true });
  }
}
