import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { type FaultService, changeFaults, fetchFaults } from '../../api/scenarios';
import { ErrorNote } from '../../components/error-note';
import { usePolling } from '../../hooks/use-polling';

interface FaultText {
  title: string;
  /** What the messaging does about the fault. */
  explanation: string;
  testId: string;
}

/** A failure-catalogue entry on a scenario panel: the fault, what the messaging does about it, its controls. */
export function FaultCard(props: FaultText & { error?: string; children: ComponentChildren }) {
  return (
    <section class="panel fault" data-testid={props.testId}>
      <h3>
        Failure catalogue: {props.title} <span class="badge bad">demo fault</span>
      </h3>
      <p class="muted">{props.explanation}</p>
      <div class="actions">{props.children}</div>
      <ErrorNote error={props.error} />
    </section>
  );
}

export interface FaultControls {
  settings: Record<string, unknown>;
  /** Sends the switches to the service; the panel then shows what is in force. */
  change(settings: Record<string, unknown>): void;
  busy: boolean;
}

/** A service's `/faults` switches as a FaultCard; nothing at all while the service has none (faults off). */
export function ServiceFaults(props: FaultText & { service: FaultService; children: (controls: FaultControls) => ComponentChildren }) {
  const { data, refresh } = usePolling(() => fetchFaults(props.service), 2_000);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  if (!data?.enabled || !data.settings) return null;
  const change = async (settings: Record<string, unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await changeFaults(props.service, settings);
      refresh();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  const { title, explanation, testId } = props;
  return (
    <FaultCard title={title} explanation={explanation} testId={testId} error={error}>
      {props.children({ settings: data.settings, change: (settings) => void change(settings), busy })}
    </FaultCard>
  );
}
