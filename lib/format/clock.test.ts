import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { createClock } from "./clock";

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.parse("2026-03-05T12:00:00Z"));
});

afterEach(() => {
  vi.useRealTimers();
});

describe("createClock", () => {
  test("returns the same snapshot between ticks and a new one, announced, on each tick", () => {
    const clock = createClock(30_000);
    const listener = vi.fn();
    const unsubscribe = clock.subscribe(listener);
    const first = clock.getSnapshot();
    vi.advanceTimersByTime(29_000);
    expect(clock.getSnapshot()).toBe(first);
    expect(listener).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1_000);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(clock.getSnapshot()).toBe(first + 30_000);
    unsubscribe();
  });

  test("runs one interval for all listeners and stops it when the last one leaves", () => {
    const clock = createClock(30_000);
    const a = vi.fn();
    const b = vi.fn();
    const offA = clock.subscribe(a);
    const offB = clock.subscribe(b);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(30_000);
    expect([a.mock.calls.length, b.mock.calls.length]).toEqual([1, 1]);
    offA();
    vi.advanceTimersByTime(30_000);
    expect([a.mock.calls.length, b.mock.calls.length]).toEqual([1, 2]);
    offB();
    expect(vi.getTimerCount()).toBe(0);
  });

  test("refreshes a stale snapshot when nobody listens, so a new relative time starts from now", () => {
    const clock = createClock(30_000);
    const first = clock.getSnapshot();
    vi.advanceTimersByTime(10 * 60_000);
    expect(clock.getSnapshot()).toBe(first + 10 * 60_000);
  });
});
