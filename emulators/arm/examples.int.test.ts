// Every official Azure REST example in emulators/arm/fixtures (Microsoft's, unmodified; see SOURCES.md)
// is replayed against the ARM emulator (example-replays.ts) and each answer must carry every key path of
// the example's response with the same JSON types (example-shape.ts). Shared emulators: replays restore
// the statuses they flip and delete what they create.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { armToken, type TestEmulators, useEmulators } from "../common/testing";
import type { Assessment } from "../seed/types";
import { type Call, type Example, type ReplayContext, REPLAYS } from "./example-replays";
import { missingPaths, shapeOf } from "./example-shape";

const FIXTURES = path.join(__dirname, "fixtures");

let emu: TestEmulators;
let token: string;
const cleanups: Array<() => Promise<unknown>> = [];

function exampleFiles(dir = FIXTURES): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? exampleFiles(full) : name.endsWith(".json") ? [path.relative(FIXTURES, full)] : [];
    })
    .sort();
}

const load = (file: string) => JSON.parse(readFileSync(path.join(FIXTURES, file), "utf8")) as Example;

async function call(method: string, pathOrUrl: string, body?: unknown): Promise<Call> {
  const url = /^https:/.test(pathOrUrl) ? pathOrUrl : `${emu.manifest.arm.url}${pathOrUrl}`;
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

function context(): ReplayContext {
  const sub = emu.manifest.arm.subscriptionIds[0]!;
  return {
    sub,
    subs: emu.manifest.arm.subscriptionIds,
    call,
    cleanup: (fn) => cleanups.push(fn),
    async prepared(filter, status) {
      const all = (
        await emu.control<{ value: Assessment[] }>(
          "arm",
          "GET",
          `/_emulator/assessments?subscriptionId=${sub}&recommendationKey=${filter.key}`,
        )
      ).body.value;
      const a = all.find((x) => !filter.resourceType || x.resourceId.includes(`/${filter.resourceType}/`)) ?? all[0];
      if (!a) throw new Error(`the seed has no assessment of ${filter.key} in ${sub}`);
      if (a.status !== status) {
        await emu.control("arm", "POST", "/_emulator/assessments/status", { ids: [a.id], status });
        cleanups.push(() => emu.control("arm", "POST", "/_emulator/assessments/status", { ids: [a.id], status: a.status }));
      }
      return a;
    },
  };
}

beforeAll(async () => {
  emu = await useEmulators();
  token = await armToken(emu.manifest);
}, 60_000);
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});
afterAll(() => emu?.stop());

describe("official Azure REST examples are served back in the same shape", () => {
  test("every example file in the fixtures has a replay (and every replay a file)", () => {
    expect(Object.keys(REPLAYS).sort()).toEqual(exampleFiles());
  });

  for (const file of Object.keys(REPLAYS)) {
    test(file, async () => {
      const exchanges = await REPLAYS[file]!(load(file), context(), load);
      for (const { call: answer, expected, status } of exchanges) {
        expect(answer.status, JSON.stringify(answer.body)?.slice(0, 500)).toBe(status);
        if (expected === undefined) expect(answer.body).toBeUndefined();
        else expect(missingPaths(shapeOf(expected), shapeOf(answer.body))).toEqual([]);
      }
    });
  }
});
