import { useState } from 'preact/hooks';

export interface Action<A extends unknown[], R> {
  run: (...args: A) => Promise<void>;
  busy: boolean;
  error?: string;
  result?: R;
}

/** A button's or form's call: busy while it runs, then its result or its error, for the page to show. */
export function useAction<A extends unknown[], R>(perform: (...args: A) => Promise<R>, onDone?: (result: R) => void): Action<A, R> {
  const [state, setState] = useState<{ busy: boolean; error?: string; result?: R }>({ busy: false });
  const run = async (...args: A) => {
    setState({ busy: true });
    try {
      const result = await perform(...args);
      setState({ busy: false, result });
      onDone?.(result);
    } catch (error) {
      setState({ busy: false, error: error instanceof Error ? error.message : String(error) });
    }
  };
  return { ...state, run };
}
