// A ticking "now" for relative times, shaped for React's useSyncExternalStore (client-safe, no React).
//
// One interval serves every subscriber and runs only while someone listens. The snapshot changes only
// on a tick (and listeners hear of it), so React sees a stable value between ticks; with nobody
// listening, a stale value is refreshed when it is read, so a newly mounted relative time starts fresh.

export const TICK_MS = 30_000;

export type Clock = {
  subscribe: (listener: () => void) => () => void;
  getSnapshot: () => number;
};

export function createClock(tickMs = TICK_MS, read: () => number = Date.now): Clock {
  let now: number | null = null;
  let timer: ReturnType<typeof setInterval> | undefined;
  const listeners = new Set<() => void>();

  const tick = () => {
    now = read();
    for (const listener of listeners) listener();
  };

  return {
    subscribe(listener) {
      listeners.add(listener);
      if (timer === undefined) timer = setInterval(tick, tickMs);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer !== undefined) {
          clearInterval(timer);
          timer = undefined;
        }
      };
    },
    getSnapshot() {
      if (now === null || (listeners.size === 0 && read() - now >= tickMs)) now = read();
      return now;
    },
  };
}

/** The clock every relative time of the page shares. */
export const clock = createClock();
