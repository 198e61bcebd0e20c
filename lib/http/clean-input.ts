// Text PostgreSQL cannot store, refused at the edge: the NUL character (text columns and parameters
// reject it: "invalid byte sequence for encoding UTF8: 0x00"), lone UTF-16 surrogates (JSON's
// "\ud800" parses into one; they have no UTF-8 form) and bytes that are not valid UTF-8 (overlong
// forms such as %C0%80, encoded surrogates, truncated sequences) in the query string or the body.
// The route wrapper (lib/http/route.ts) runs these on every path parameter, query parameter and JSON
// body before zod, so no route and no service ever sees such text; the answer names the parameter.
import { AppError } from "@/lib/http/errors";

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Why a string cannot be stored, or null when it can. */
export function textProblem(value: string): string | null {
  if (value.includes("\u0000")) return "must not contain NUL characters";
  // A high surrogate not followed by a low one, or a low one not preceded by a high one.
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value))
    return "must not contain unpaired UTF-16 surrogates";
  return null;
}

type Problem = { path: string; message: string };

function refuse(where: string, problems: Problem[], code: "VALIDATION" | "BAD_REQUEST" = "VALIDATION"): never {
  throw new AppError(code, {
    message: `Invalid ${where}: ${problems
      .slice(0, 3)
      .map((p) => `${p.path} ${p.message}`)
      .join("; ")}`,
    details: { errors: problems },
  });
}

/** Percent-decodes one query component to bytes (+ is a space), without replacing invalid UTF-8. */
function componentBytes(component: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < component.length; i++) {
    const c = component[i];
    if (c === "%" && /^[0-9a-fA-F]{2}$/.test(component.slice(i + 1, i + 3))) {
      bytes.push(parseInt(component.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c === "+") bytes.push(0x20);
    else bytes.push(...Buffer.from(c, "utf8"));
  }
  return Buffer.from(bytes);
}

/** Refuses a query string with a parameter (name or value) that is not valid UTF-8 or not storable. */
export function assertCleanQuery(rawSearch: string): void {
  const problems: Problem[] = [];
  const search = rawSearch.startsWith("?") ? rawSearch.slice(1) : rawSearch;
  if (!search) return;
  for (const pair of search.split("&")) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const rawName = eq >= 0 ? pair.slice(0, eq) : pair;
    const rawValue = eq >= 0 ? pair.slice(eq + 1) : "";
    let name: string;
    try {
      name = UTF8.decode(componentBytes(rawName));
    } catch {
      problems.push({ path: "query", message: "has a parameter name that is not valid UTF-8" });
      continue;
    }
    const label = `query.${textProblem(name) ? "(name)" : name.slice(0, 60)}`;
    const nameProblem = textProblem(name);
    if (nameProblem) {
      problems.push({ path: label, message: `name ${nameProblem}` });
      continue;
    }
    let value: string;
    try {
      value = UTF8.decode(componentBytes(rawValue));
    } catch {
      problems.push({ path: label, message: "must be valid UTF-8 (overlong or malformed byte sequence)" });
      continue;
    }
    const valueProblem = textProblem(value);
    if (valueProblem) problems.push({ path: label, message: valueProblem });
  }
  if (problems.length) refuse("query", problems);
}

/** Refuses path parameters that are not storable text. */
export function assertCleanParams(params: Record<string, string | string[]> | undefined): void {
  const problems: Problem[] = [];
  for (const [key, value] of Object.entries(params ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) {
      const problem = typeof v === "string" ? textProblem(v) : null;
      if (problem) problems.push({ path: `path.${key}`, message: problem });
    }
  }
  if (problems.length) refuse("path", problems);
}

/** Decodes a request body as strict UTF-8 (400 when it is not). */
export function decodeBody(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new AppError("BAD_REQUEST", { message: "The request body is not valid UTF-8 (overlong or malformed byte sequence)" });
  }
}

/** Refuses a parsed JSON body holding a key or string that is not storable text, naming its path. */
export function assertCleanJson(value: unknown): void {
  const problems: Problem[] = [];
  const walk = (v: unknown, path: string[], depth: number) => {
    if (problems.length >= 10 || depth > 64) return;
    if (typeof v === "string") {
      const problem = textProblem(v);
      if (problem) problems.push({ path: ["body", ...path].join("."), message: problem });
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, [...path, String(i)], depth + 1));
    } else if (v && typeof v === "object") {
      for (const [key, item] of Object.entries(v)) {
        const problem = textProblem(key);
        if (problem) problems.push({ path: ["body", ...path, "(key)"].join("."), message: `key ${problem}` });
        else walk(item, [...path, key], depth + 1);
      }
    }
  };
  walk(value, [], 0);
  if (problems.length) refuse("body", problems);
}
