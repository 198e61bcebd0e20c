import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { type EmulatorManifest, ManifestError, readManifest, writeManifest } from "./manifest";

const dir = mkdtempSync(path.join(tmpdir(), "manifest-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const manifest: EmulatorManifest = {
  version: 1,
  startedAt: "2026-01-01T00:00:00.000Z",
  pid: 1,
  seed: 42,
  size: "small",
  caCertPath: "/x/ca.pem",
  caBundlePath: "/x/ca-bundle.pem",
  tenantId: "d7ade352-989f-5b9e-9f80-86835ab70569",
  domain: "contoso.example",
  entra: {
    url: "https://localhost:1",
    browserUrl: "http://localhost:2",
    authority: "https://localhost:1/d7ade352-989f-5b9e-9f80-86835ab70569",
    knownAuthority: "localhost:1",
    dashboardApp: { clientId: "a", clientSecret: "b" },
    armServicePrincipal: { clientId: "c", clientSecret: "d" },
    noAccessServicePrincipal: { clientId: "e", clientSecret: "f" },
  },
  arm: { url: "https://localhost:3", audience: "https://management.azure.com/", subscriptionIds: ["0c6855dd-48b9-58be-9380-d021a53182ee"] },
  servicenow: { url: "https://localhost:4", username: "u", password: "p", oauthClientId: "i", oauthClientSecret: "s" },
  users: [{ oid: "e1a9ac4c-883e-5370-ae5e-ae602e000f52", email: "ada.admin@contoso.example", displayName: "Ada Admin", role: "Admin" }],
};

describe("writeManifest / readManifest", () => {
  test("round-trips a manifest and writes it readable by the owner only", () => {
    const file = path.join(dir, "sub", "emulators.json");
    writeManifest(file, manifest);
    expect(readManifest(file)).toEqual(manifest);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  test("a missing, broken or invalid manifest is a ManifestError that says what to do or what is wrong", () => {
    expect(() => readManifest(path.join(dir, "absent.json"))).toThrow(/npm run emulators/);
    writeFileSync(path.join(dir, "broken.json"), "{");
    expect(() => readManifest(path.join(dir, "broken.json"))).toThrow(ManifestError);
    writeFileSync(path.join(dir, "invalid.json"), JSON.stringify({ ...manifest, arm: { ...manifest.arm, url: "not a url" } }));
    expect(() => readManifest(path.join(dir, "invalid.json"))).toThrow(/arm\.url/);
    expect(() => writeManifest(path.join(dir, "w.json"), { ...manifest, seed: 1.5 })).toThrow();
    expect(() => readFileSync(path.join(dir, "w.json"))).toThrow();
  });
});
