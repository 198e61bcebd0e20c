import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { scanDirectory, scanText } from "./secret-scan";

describe("scanText", () => {
  test("reports the line and label of a seeded secret that appears", () => {
    const hits = scanText('{"msg":"ok"}\n{"password":"hunter2-very-secret"}\n', [
      { label: "ServiceNow password", value: "hunter2-very-secret" },
    ]);
    expect(hits).toEqual([{ file: "<text>", line: 2, label: "ServiceNow password" }]);
  });

  test("ignores values too short to be meaningful", () => {
    expect(scanText("abc", [{ label: "short", value: "abc" }])).toEqual([]);
  });
});

describe("scanDirectory", () => {
  test("reads secret lists and log files of a directory", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "scan-"));
    writeFileSync(path.join(dir, "a.secrets.json"), JSON.stringify([{ label: "key", value: "0123456789abcdef" }]));
    writeFileSync(path.join(dir, "app.log"), "clean line\n");
    writeFileSync(path.join(dir, "responses.log"), 'GET /api/x 200\n{"secret":"0123456789abcdef"}\n');
    const result = scanDirectory(dir);
    expect(result.files).toBe(2);
    expect(result.hits).toEqual([{ file: "responses.log", line: 2, label: "key" }]);
  });
});
