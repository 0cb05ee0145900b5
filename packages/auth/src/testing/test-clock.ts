/** A clock that moves only when told: pass `clock.now` as the `now` option. */
export interface TestClock {
  now: () => Date;
  set(date: Date): void;
  advance(seconds: number): void;
  /** Back to the time it was created with; the test fixtures call it after every test. */
  reset(): void;
}

export function createTestClock(start = new Date("2026-01-01T00:00:00Z")): TestClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    set: (date) => {
      current = date.getTime();
    },
    advance: (seconds) => {
      current += seconds * 1000;
    },
    reset: () => {
      current = start.getTime();
    },
  };
}
