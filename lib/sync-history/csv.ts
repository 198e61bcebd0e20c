// CSV as RFC 4180 writes it (comma-separated, CRLF line ends, a field in double quotes when it holds a
// comma, a quote or a line break, quotes doubled inside), opened safely by spreadsheet programs: a text
// cell that starts like a formula (= + - @, tab, CR) is prefixed with an apostrophe so Excel or Sheets
// show it instead of evaluating it (OWASP "CSV injection"). Numbers and booleans are written as they are.

export type CsvValue = string | number | boolean | bigint | Date | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean" || typeof value === "bigint") return String(value);
  let text = value instanceof Date ? value.toISOString() : value;
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: CsvValue[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}

/** A filename safe in a Content-Disposition header (ASCII letters, digits, '.', '_' and '-'). */
export function safeFilename(name: string): string {
  return (
    name
      .replace(/[^A-Za-z0-9._-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 120) || "export.csv"
  );
}
