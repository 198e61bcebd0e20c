// Seeded pseudo-random numbers for the emulators (seed data, fault probabilities).
//
// `createRng(seed)` gives a fast, deterministic stream (sfc32 seeded through splitmix32). Use `fork(label)`
// for independent sub-streams so that adding data to one part of the world does not shift every other
// part. `stableUuid(...parts)` derives a GUID from names (sha1), for ids that must not depend on draw order.
import { createHash } from "node:crypto";

export type Rng = {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks by weight; weights need not sum to 1. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** `count` distinct items (fewer if the list is shorter), in random order. */
  sample<T>(items: readonly T[], count: number): T[];
  shuffle<T>(items: T[]): T[];
  /** Lowercase hex string of `length` characters. */
  hex(length: number): string;
  /** Random (version 4 shaped) GUID. */
  uuid(): string;
  /** Independent stream derived from this one's seed and a label. */
  fork(label: string): Rng;
};

function hashSeed(seed: number | string): number {
  const digest = createHash("sha256").update(String(seed)).digest();
  return digest.readUInt32LE(0);
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRng(seed: number | string): Rng {
  const init = splitmix32(hashSeed(seed));
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const next = (): number => {
    // sfc32: small, fast, and good enough for test data.
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();

  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new Error("pick() from an empty list");
      return items[Math.floor(next() * items.length)]!;
    },
    weighted: (items) => {
      const total = items.reduce((sum, [, w]) => sum + w, 0);
      let r = next() * total;
      for (const [item, w] of items) {
        r -= w;
        if (r < 0) return item;
      }
      return items[items.length - 1]![0];
    },
    sample: (items, count) => rng.shuffle([...items]).slice(0, count),
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [items[i], items[j]] = [items[j]!, items[i]!];
      }
      return items;
    },
    hex: (length) => {
      let out = "";
      while (out.length < length)
        out += Math.floor(next() * 4294967296)
          .toString(16)
          .padStart(8, "0");
      return out.slice(0, length);
    },
    uuid: () => formatUuid(rng.hex(32), 4),
    fork: (label) => createRng(`${seed}/${label}`),
  };
  return rng;
}

function formatUuid(hex32: string, version: number): string {
  const variant = ((parseInt(hex32[16]!, 16) & 0x3) | 0x8).toString(16);
  return [
    hex32.slice(0, 8),
    hex32.slice(8, 12),
    `${version}${hex32.slice(13, 16)}`,
    `${variant}${hex32.slice(17, 20)}`,
    hex32.slice(20, 32),
  ].join("-");
}

/** Deterministic GUID (version 5 shaped) from names: the same parts always give the same id. */
export function stableUuid(...parts: Array<string | number>): string {
  const hex = createHash("sha1").update(parts.join("\u001f")).digest("hex");
  return formatUuid(hex.slice(0, 32), 5);
}

/** Deterministic lowercase hex id (e.g. a ServiceNow sys_id is stableHex(32, ...)). */
export function stableHex(length: number, ...parts: Array<string | number>): string {
  let out = "";
  for (let i = 0; out.length < length; i++)
    out += createHash("sha256")
      .update(`${i}\u001f${parts.join("\u001f")}`)
      .digest("hex");
  return out.slice(0, length);
}
