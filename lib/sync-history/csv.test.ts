import { describe, expect, test } from "vitest";
import { expectCases } from "@/test/cases";
import { csvCell, csvRow, safeFilename } from "./csv";

/** A small RFC 4180 reader, to check that what we write reads back to the same values. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let isQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (isQuoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') isQuoted = false;
      else cell += c;
    } else if (c === '"') isQuoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  return rows;
}

describe("csvCell", () => {
  test("returns plain text unquoted and empty for null or undefined", () => {
    expectCases(csvCell, [
      ["INC0010001", "INC0010001"],
      [null, ""],
      [undefined, ""],
    ]);
  });

  test("quotes fields holding a comma, a quote or a line break, doubling quotes", () => {
    expectCases(csvCell, [
      ["a,b", '"a,b"'],
      ['say "hi"', '"say ""hi"""'],
      ["line1\nline2", '"line1\nline2"'],
      ["cr\rhere", '"cr\rhere"'],
    ]);
  });

  test("prefixes text that a spreadsheet would evaluate as a formula", () => {
    expectCases(csvCell, [
      ['=HYPERLINK("http://evil")', '"\'=HYPERLINK(""http://evil"")"'],
      ["+1", "'+1"],
      ["-cmd", "'-cmd"],
      ["@SUM(A1)", "'@SUM(A1)"],
      ["\tx", "'\tx"],
    ]);
  });

  test("writes numbers, booleans, bigints and dates as values (negative numbers are not text)", () => {
    expectCases(csvCell, [
      [-5, "-5"],
      [3.5, "3.5"],
      [Number.NaN, ""],
      [true, "true"],
      [12345678901234567890n, "12345678901234567890"],
      [new Date("2026-11-30T10:00:00.000Z"), "2026-11-30T10:00:00.000Z"],
    ]);
  });
});

describe("csvRow", () => {
  test("joins with commas and ends with CRLF; awkward values read back unchanged", () => {
    const values = ["plain", 'quote " inside', "comma, here", "multi\nline\r\ntext", "", '{"state":"6"}', "ünïcødé"];
    const line = csvRow(values);
    expect(line.endsWith("\r\n")).toBe(true);
    expect(parseCsv(line + csvRow(["second", "row"]))).toEqual([values, ["second", "row"]]);
  });
});

describe("safeFilename", () => {
  test("keeps letters, digits, dots, dashes and underscores only", () => {
    expect(safeFilename("sync-run-2026-11-30-ab12cd34-events.csv")).toBe("sync-run-2026-11-30-ab12cd34-events.csv");
    expect(safeFilename('a"b\r\nc;d.csv')).toBe("a-b-c-d.csv");
    expect(safeFilename("///")).toBe("export.csv");
  });
});
