import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { ensureCertificates } from "./tls";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "tls-test-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("ensureCertificates", () => {
  test("creates a CA and a server certificate for localhost, 127.0.0.1 and ::1 signed by it", () => {
    const paths = ensureCertificates(tempDir());
    const ca = new X509Certificate(readFileSync(paths.caCertPath));
    const server = new X509Certificate(readFileSync(paths.certPath));
    expect(ca.ca).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkHost("localhost")).toBe("localhost");
    expect(server.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(server.checkIP("::1")).toBeTruthy();
    expect(statSync(paths.keyPath).mode & 0o777).toBe(0o600);
  });

  test("reuses existing certificates, and adds a missing host by renewing only the server certificate", () => {
    const dir = tempDir();
    const first = ensureCertificates(dir);
    const caPem = readFileSync(first.caCertPath, "utf8");
    const serverPem = readFileSync(first.certPath, "utf8");
    ensureCertificates(dir);
    expect(readFileSync(first.certPath, "utf8")).toBe(serverPem);
    ensureCertificates(dir, { extraHosts: ["demo.internal"] });
    expect(readFileSync(first.caCertPath, "utf8")).toBe(caPem);
    expect(new X509Certificate(readFileSync(first.certPath)).checkHost("demo.internal")).toBe("demo.internal");
  });

  test("the bundle holds the previous NODE_EXTRA_CA_CERTS file plus our CA, also when later called with the bundle itself", () => {
    const dir = tempDir();
    const base = path.join(dir, "corporate.pem");
    writeFileSync(base, "# corporate roots\n");
    const previous = process.env.NODE_EXTRA_CA_CERTS;
    try {
      process.env.NODE_EXTRA_CA_CERTS = base;
      const paths = ensureCertificates(path.join(dir, "certs"));
      process.env.NODE_EXTRA_CA_CERTS = paths.bundlePath;
      ensureCertificates(path.join(dir, "certs"));
      const bundle = readFileSync(paths.bundlePath, "utf8");
      expect(bundle.startsWith("# corporate roots")).toBe(true);
      expect(bundle).toContain(readFileSync(paths.caCertPath, "utf8").trim());
    } finally {
      if (previous === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
      else process.env.NODE_EXTRA_CA_CERTS = previous;
    }
  });
});
