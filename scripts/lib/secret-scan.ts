// Scans what the product wrote during a test run — its log lines and the API responses the tests
// received — for secret values the run seeded (connection passwords, client secrets, keys).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export type SeededSecret = { label: string; value: string };
export type SecretHit = { file: string; line: number; label: string };

/** Secrets shorter than this would match by accident (and are not secrets worth the name). */
const MIN_LENGTH = 8;

export function scanText(text: string, secrets: SeededSecret[], file = "<text>"): SecretHit[] {
  const hits: SecretHit[] = [];
  const lines = text.split("\n");
  for (const secret of secrets) {
    if (secret.value.length < MIN_LENGTH) continue;
    lines.forEach((line, i) => {
      if (line.includes(secret.value)) hits.push({ file, line: i + 1, label: secret.label });
    });
  }
  return hits;
}

/** Secret lists are `*.secrets.json` files ([{label, value}]) in the log directory. */
export function scanDirectory(dir: string): { hits: SecretHit[]; files: number; bytes: number; secrets: number } {
  if (!existsSync(dir)) return { hits: [], files: 0, bytes: 0, secrets: 0 };
  const entries = readdirSync(dir);
  const secrets = entries
    .filter((f) => f.endsWith(".secrets.json"))
    .flatMap((f) => JSON.parse(readFileSync(path.join(dir, f), "utf8")) as SeededSecret[]);
  const unique = [...new Map(secrets.map((s) => [s.value, s])).values()];
  let bytes = 0;
  const hits: SecretHit[] = [];
  const logs = entries.filter((f) => f.endsWith(".log"));
  for (const f of logs) {
    const text = readFileSync(path.join(dir, f), "utf8");
    bytes += text.length;
    hits.push(...scanText(text, unique, f));
  }
  return { hits, files: logs.length, bytes, secrets: unique.length };
}
