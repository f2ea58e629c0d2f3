/** Time and timers, injected so that the storage simulation can run the broker on virtual time. */
export interface Clock {
  now(): number;
  /** Calls `callback` once after `ms`; the timer never keeps the process alive by itself. */
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

/** Runs `task` every `ms` (never two at once: the next run is armed when the previous one ends); returns a stop function. */
export function every(clock: Clock, ms: number, task: () => Promise<void> | void): () => void {
  let timer: unknown;
  let stopped = false;
  const arm = () => {
    if (!stopped) timer = clock.setTimeout(run, ms);
  };
  const run = () => {
    Promise.resolve()
      .then(task)
      .catch(() => undefined)
      .finally(arm);
  };
  arm();
  return () => {
    stopped = true;
    clock.clearTimeout(timer);
  };
}
