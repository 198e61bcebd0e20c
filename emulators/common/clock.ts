// Emulated clock shared by all emulators: real time plus an offset that tests move forward with
// `POST /_emulator/clock {"advanceSeconds": N}`. Everything time-dependent in the emulators (token expiry,
// statusChangeDate, ServiceNow sys_updated_on, rate-limit windows) reads this clock, never Date.now().

export type Clock = {
  /** Emulated epoch milliseconds. */
  now(): number;
  /** Emulated time as an ISO string. */
  iso(): string;
  /** Moves emulated time forward (never backward). */
  advance(ms: number): void;
  /** Milliseconds added to real time so far. */
  offsetMs(): number;
  /** Sets the offset directly (snapshot restore, reset). */
  setOffset(ms: number): void;
};

export function createClock(realNow: () => number = Date.now): Clock {
  let offset = 0;
  const clock: Clock = {
    now: () => realNow() + offset,
    iso: () => new Date(clock.now()).toISOString(),
    advance: (ms) => {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError("advance() takes a finite, non-negative number of ms");
      offset += ms;
    },
    offsetMs: () => offset,
    setOffset: (ms) => {
      offset = ms;
    },
  };
  return clock;
}
