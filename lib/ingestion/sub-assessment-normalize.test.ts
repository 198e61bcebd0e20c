import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { cveRefsOf, cvssOf, kindOf, normalizeSubAssessment, type NormalizedSubAssessment } from "./sub-assessment-normalize";

// Microsoft's published examples (emulators/arm/fixtures, SOURCES.md there) and the shapes the
// emulator and the SDK produce.
function example(name: string): Record<string, unknown>[] {
  const file = path.join(process.cwd(), "emulators/arm/fixtures/2019-01-01-preview/SubAssessments", name);
  const body = (
    JSON.parse(readFileSync(file, "utf8")) as {
      responses: { 200: { body: Record<string, unknown> & { value?: Record<string, unknown>[] } } };
    }
  ).responses[200].body;
  return body.value ?? [body];
}

function ok(raw: unknown): NormalizedSubAssessment {
  const n = normalizeSubAssessment(raw);
  if (!n.ok) throw new Error(n.reason);
  return n.value;
}

const PARENT =
  "/subscriptions/s1/resourcegroups/rg/providers/microsoft.compute/virtualmachines/vm1/providers/microsoft.security/assessments/1195afff-c881-495e-9bc5-1486211ae03f";
const server = (additionalData: Record<string, unknown>, status: Record<string, unknown> = { code: "Unhealthy", severity: "High" }) => ({
  id: `${PARENT.replace("/subscriptions/s1", "/subscriptions/S1")}/subAssessments/ABC`,
  name: "ABC",
  properties: {
    id: "CVE-2024-6387",
    displayName: "OpenSSH regreSSHion",
    status,
    remediation: "Upgrade openssh",
    timeGenerated: "2026-12-01T00:00:00Z",
    additionalData,
  },
});

describe("normalizeSubAssessment", () => {
  test("container registry (Microsoft's example): CVEs, CVSS of the newest version, patchable, image; a placeholder http link becomes NIST's", () => {
    const v = ok(example("GetSubAssessment_example.json")[0]);
    expect(v.armId).toBe(v.armId.toLowerCase());
    expect(v.parentArmId).toMatch(/\/providers\/microsoft\.security\/assessments\/21300918-b2e3-0346-785f-c77ff57d243b$/);
    expect(v).toMatchObject({
      vulnerabilityId: "1001",
      displayName: "'Back Orifice' Backdoor",
      severity: "High",
      status: "Unhealthy",
      kind: "container",
      cves: ["CVE-2019-12345"],
      cvssScore: 10,
      cvssVersion: "3.0",
      patchable: true,
    });
    expect(v.category).toBe("Backdoors and trojan horses");
    expect(v.details).toEqual({
      kind: "container",
      cveLinks: [{ id: "CVE-2019-12345", link: "https://nvd.nist.gov/vuln/detail/CVE-2019-12345" }],
      repositoryName: "myRepo",
      imageDigest: "c186fc44-3154-4ce2-ba18-b719d895c3b0",
      imageName: "myImage",
      vendorReferences: [{ title: "Reference_1", link: "http://contoso.com/" }],
      remediationLink: "http://contoso.com/",
    });
  });

  test("SQL (Microsoft's example): the check and its query, no CVE or CVSS", () => {
    const v = ok(example("ListSubAssessments_example.json")[0]);
    expect(v.kind).toBe("sql");
    expect(v.cves).toEqual([]);
    expect(v.cvssScore).toBeNull();
    expect(v.patchable).toBeNull();
    expect(v.details).toMatchObject({
      kind: "sql",
      checkType: "AzureDatabase",
      query: expect.stringContaining("sys.database_firewall_rules"),
      benchmarks: [],
    });
  });

  test("server: both discriminator spellings of the spec, Defender's https CVE links kept, CVSS 2.0 alone", () => {
    for (const type of ["ServerVulnerabilityAssessment", "ServerVulnerability", "servervulnerabilityassessment"]) {
      const v = ok(
        server({
          assessedResourceType: type,
          cvss: { "2.0": { base: 6.8 } },
          patchable: false,
          cve: [{ title: "CVE-2024-6387", link: "https://msrc.microsoft.com/x" }],
          threat: "Exploit available",
          publishedTime: "2024-07-01T00:00:00Z",
          vendorReferences: [{ title: "USN-6859-1", link: "https://ubuntu.com/security/notices/USN-6859-1" }],
        }),
      );
      expect(v.kind).toBe("server");
      expect(v).toMatchObject({ cves: ["CVE-2024-6387"], cvssScore: 6.8, cvssVersion: "2.0", patchable: false });
      expect(v.publishedAt?.toISOString()).toBe("2024-07-01T00:00:00.000Z");
      expect(v.details).toEqual({
        kind: "server",
        cveLinks: [{ id: "CVE-2024-6387", link: "https://msrc.microsoft.com/x" }],
        threat: "Exploit available",
        vendorReferences: [{ title: "USN-6859-1", link: "https://ubuntu.com/security/notices/USN-6859-1" }],
        remediationLink: null,
      });
    }
  });

  test("other kinds are kept with their CVEs; the vulnerability id itself counts as a CVE", () => {
    const v = ok(server({ assessedResourceType: "AmazonElasticContainerRegistryVulnerability", cve: [{ title: "cve-2023-4863" }] }));
    expect(v.kind).toBe("other");
    expect(v.cves).toEqual(["CVE-2023-4863", "CVE-2024-6387"]);
    expect(v.details).toMatchObject({ kind: "other", assessedResourceType: "AmazonElasticContainerRegistryVulnerability" });
  });

  test("the SDK's flattened form (idPropertiesId, Date objects) reads the same", () => {
    const v = ok({
      id: `${PARENT}/subAssessments/x`,
      name: "x",
      idPropertiesId: "CVE-2023-4863",
      displayName: "libwebp",
      status: { code: "Unhealthy", severity: "Medium" },
      timeGenerated: new Date("2026-12-01T00:00:00Z"),
      additionalData: {
        assessedResourceType: "ContainerRegistryVulnerability",
        cve: [{ title: "CVE-2023-4863" }],
        publishedTime: new Date("2023-09-12T00:00:00Z"),
      },
    });
    expect(v).toMatchObject({ vulnerabilityId: "CVE-2023-4863", severity: "Medium", kind: "container", cves: ["CVE-2023-4863"] });
    expect(v.timeGenerated?.toISOString()).toBe("2026-12-01T00:00:00.000Z");
  });

  test("severity and status in any casing; Critical maps to High; unknown severity is Medium", () => {
    expect(ok(server({}, { code: "unhealthy", severity: "critical" })).severity).toBe("High");
    expect(ok(server({}, { code: "HEALTHY", severity: "low" })).status).toBe("Healthy");
    expect(ok(server({}, { code: "Unhealthy" })).severity).toBe("Medium");
  });

  test("the hash ignores timeGenerated (a rescan that finds the same is not a change) and follows the content", () => {
    const a = ok(server({ cvss: { "3.0": { base: 8.1 } } }));
    const b = ok({
      ...server({ cvss: { "3.0": { base: 8.1 } } }),
      properties: { ...server({ cvss: { "3.0": { base: 8.1 } } }).properties, timeGenerated: "2027-01-01T00:00:00Z" },
    });
    expect(b.hash).toBe(a.hash);
    expect(ok(server({ cvss: { "3.0": { base: 9 } } })).hash).not.toBe(a.hash);
  });

  test("unreadable items are rejected with a reason and a sample", () => {
    for (const [raw, reason] of [
      [null, "not an object"],
      [{ name: "x" }, "no id"],
      [{ id: `${PARENT}/other/x`, properties: {} }, "not a sub-assessment id"],
      [{ id: `${PARENT}/subAssessments/x`, properties: { status: { code: "Broken" } } }, "unknown status code"],
    ] as const) {
      const n = normalizeSubAssessment(raw);
      expect(n.ok).toBe(false);
      if (!n.ok) {
        expect(n.reason).toContain(reason);
        expect(n.sample.length).toBeGreaterThan(0);
      }
    }
  });
});

describe("pieces", () => {
  test("cvssOf: newest version with a valid base score", () => {
    expect(cvssOf({ cvss: { "2.0": { base: 5 }, "3.1": { base: 7.5 }, "3.0": { base: 7 } } })).toEqual({ score: 7.5, version: "3.1" });
    expect(cvssOf({ cvss: { "3.0": { base: 11 }, "2.0": { base: "4.3" } } })).toEqual({ score: 4.3, version: "2.0" });
    expect(cvssOf({ cvss: "high" })).toBeNull();
    expect(cvssOf({})).toBeNull();
  });
  test("cveRefsOf: de-duplicated, upper-cased, only CVE ids, javascript: links refused", () => {
    expect(
      cveRefsOf(
        {
          cve: [
            { title: "CVE-2024-1 bad" },
            { title: "cve-2024-12345", link: "javascript:alert(1)" },
            { title: "CVE-2024-12345" },
            "CVE-2022-0001",
          ],
        },
        "QID-1",
      ),
    ).toEqual([
      { id: "CVE-2024-12345", link: "https://nvd.nist.gov/vuln/detail/CVE-2024-12345" },
      { id: "CVE-2022-0001", link: "https://nvd.nist.gov/vuln/detail/CVE-2022-0001" },
    ]);
  });
  test("kindOf", () => {
    expect(kindOf("ContainerRegistryVulnerability")).toBe("container");
    expect(kindOf("SqlServerVulnerability")).toBe("sql");
    expect(kindOf(null)).toBe("other");
  });
});
