// Structural comparison for the official-example conformance test: every key path in an example's
// response must exist in the emulator's response with a compatible JSON type. Arrays compare the union of
// their items' shapes (an example's NotApplicable item needs some NotApplicable item in the answer).

export type Shape =
  { kind: "object"; keys: Record<string, Shape> } | { kind: "array"; item: Shape | null } | { kind: "primitive"; types: Set<string> };

export function shapeOf(value: unknown): Shape {
  if (Array.isArray(value)) return { kind: "array", item: value.map(shapeOf).reduce<Shape | null>((a, b) => (a ? merge(a, b) : b), null) };
  if (value !== null && typeof value === "object") {
    return { kind: "object", keys: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shapeOf(v)])) };
  }
  return { kind: "primitive", types: new Set([value === null ? "null" : typeof value]) };
}

function merge(a: Shape, b: Shape): Shape {
  if (a.kind === "object" && b.kind === "object") {
    const keys: Record<string, Shape> = { ...a.keys };
    for (const [k, v] of Object.entries(b.keys)) keys[k] = keys[k] ? merge(keys[k]!, v) : v;
    return { kind: "object", keys };
  }
  if (a.kind === "array" && b.kind === "array")
    return { kind: "array", item: a.item && b.item ? merge(a.item, b.item) : (a.item ?? b.item) };
  if (a.kind === "primitive" && b.kind === "primitive") return { kind: "primitive", types: new Set([...a.types, ...b.types]) };
  // Mixed kinds (e.g. null vs object): keep the richer one.
  return a.kind === "primitive" ? b : a;
}

/** Keys whose values are free-form maps (their keys are data, e.g. resource tags): only the type is compared. */
const FREE_FORM = new Set(["tags"]);

/** Key paths of `expected` missing from (or typed differently in) `actual`. */
export function missingPaths(expected: Shape, actual: Shape, path = "$"): string[] {
  if (FREE_FORM.has(path.slice(path.lastIndexOf(".") + 1)) && expected.kind === "object") {
    return actual.kind === "object" ? [] : [`${path} (expected object, got ${actual.kind})`];
  }
  if (expected.kind === "primitive") {
    if (expected.types.has("null")) return [];
    if (actual.kind !== "primitive") return [`${path} (expected ${[...expected.types].join("|")}, got ${actual.kind})`];
    return [...expected.types].every((t) => actual.types.has(t))
      ? []
      : [`${path} (expected ${[...expected.types].join("|")}, got ${[...actual.types].join("|")})`];
  }
  if (expected.kind === "array") {
    if (actual.kind !== "array") return [`${path} (expected array, got ${actual.kind})`];
    if (!expected.item) return [];
    if (!actual.item) return [`${path}[] (the answer's array is empty)`];
    return missingPaths(expected.item, actual.item, `${path}[]`);
  }
  if (actual.kind !== "object") return [`${path} (expected object, got ${actual.kind})`];
  return Object.entries(expected.keys).flatMap(([k, v]) =>
    actual.keys[k] ? missingPaths(v, actual.keys[k]!, `${path}.${k}`) : [`${path}.${k}`],
  );
}
