import { useEffect, useRef, useState } from 'preact/hooks';

export interface Polled<T> {
  data?: T;
  error?: string;
  /** Fetch again now (after an action changed what the page shows). */
  refresh: () => void;
}

/**
 * Calls `load` now and then every `intervalMs` after the previous answer (never two at once), while
 * the component is shown; `onData` sees every answer (e.g. to sample rates).
 */
export function usePolling<T>(load: () => Promise<T>, intervalMs: number, onData?: (data: T) => void, deps: unknown[] = []): Polled<T> {
  const [state, setState] = useState<{ data?: T; error?: string }>({});
  const wake = useRef<() => void>(() => undefined);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      clearTimeout(timer);
      try {
        const data = await load();
        if (stopped) return;
        onData?.(data);
        setState({ data });
      } catch (error) {
        if (!stopped) setState((previous) => ({ data: previous.data, error: error instanceof Error ? error.message : String(error) }));
      }
      if (!stopped && intervalMs > 0) timer = setTimeout(() => void tick(), intervalMs);
    };
    wake.current = () => void tick();
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, deps);
  return { ...state, refresh: () => wake.current() };
}
