import { useState } from 'preact/hooks';
import { type RegistrationTimeline, fetchTimeline, registerUser } from '../../api/scenarios';
import { ErrorNote } from '../../components/error-note';
import { usePolling } from '../../hooks/use-polling';
import type { PageProps } from '../../pages';
import { href } from '../../router';
import { ServiceFaults } from './fault-panel';

const CHANNELS = ['email', 'sms'] as const;
const EMAIL_EXPLAINED =
  'Email and SMS are two consumer groups of user-registered: a slow or failing email provider never delays the SMS, nor the registration. ' +
  'A failed email goes back to the broker and is redelivered with backoff (1 s, 5 s, 10 s, 30 s, …); the delivery that succeeds records its attempt; ' +
  'after 17 attempts the message goes to the dead-letter queue, from which it can be replayed.';
const CRASH_EXPLAINED =
  'Registration dies after its local commit and before the transaction commit reaches the broker. The half message stays invisible; ' +
  'the demo restarts registration, the broker checks back, the checker finds the user row and commits: email and SMS still go out. ' +
  'The restarted process starts with the crash rate at 0.';

export function RegistrationPage({ params }: PageProps) {
  const userId = params[0];
  const [error, setError] = useState<string>();
  const register = async () => {
    setError(undefined);
    try {
      location.hash = href('registration', (await registerUser()).userId);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  return (
    <>
      <p class="muted">Asynchronous decoupling and distributed transactions: the registration commits with a half message; email and SMS follow, each on its own.</p>
      <div class="toolbar">
        <button type="button" data-testid="register" onClick={() => void register()}>
          Register a user
        </button>
      </div>
      <ErrorNote error={error} />
      {userId ? <Timeline userId={userId} /> : <p class="muted">Register a user to follow their welcome email and SMS.</p>}
      <ServiceFaults service="notification" title="slow or failing email provider" explanation={EMAIL_EXPLAINED} testId="email-faults">
        {({ settings, change, busy }) => (
          <>
            <span class="muted">email now: {describeProvider(settings.email)}</span>
            <button type="button" disabled={busy} onClick={() => change({ email: { latencyMs: 2_000, failureRate: 0 } })}>Slow (2 s)</button>
            <button type="button" disabled={busy} onClick={() => change({ email: { failureRate: 1 } })}>Failing</button>
            <button type="button" class="secondary" disabled={busy} onClick={() => change({ email: { latencyMs: 50, failureRate: 0 } })}>Healthy</button>
          </>
        )}
      </ServiceFaults>
      <ServiceFaults service="registration" title="crash between the half message and the commit" explanation={CRASH_EXPLAINED} testId="crash-faults">
        {({ settings, change, busy }) => (
          <>
            <span class="muted">crash rate now: {String(settings.crashBetweenHalfAndCommitRate)}</span>
            <button type="button" disabled={busy} onClick={() => change({ crashBetweenHalfAndCommitRate: 1 })}>Crash on the next registration</button>
            <button type="button" class="secondary" disabled={busy} onClick={() => change({ crashBetweenHalfAndCommitRate: 0 })}>Never crash</button>
          </>
        )}
      </ServiceFaults>
    </>
  );
}

function Timeline({ userId }: { userId: string }) {
  const { data, error } = usePolling(() => fetchTimeline(userId), 1_000, undefined, [userId]);
  if (!data) return <ErrorNote error={error} />;
  return (
    <table data-testid="timeline">
      <thead>
        <tr>
          <th>Step</th><th>At</th><th class="num">After registration</th><th class="num">Attempt</th>
        </tr>
      </thead>
      <tbody>
        <tr data-step="registered">
          <td>registered (user row and half message committed)</td>
          <td>{clock(data.registeredAt)}</td>
          <td class="num">0 ms</td>
          <td class="num" />
        </tr>
        {CHANNELS.map((channel) => (
          <DeliveryRow key={channel} channel={channel} timeline={data} />
        ))}
      </tbody>
    </table>
  );
}

function DeliveryRow({ channel, timeline }: { channel: string; timeline: RegistrationTimeline }) {
  const delivery = timeline.deliveries.find((candidate) => candidate.channel === channel);
  if (!delivery) {
    return (
      <tr data-step={channel}>
        <td>{channel} sent</td>
        <td class="muted" colSpan={3}>waiting (retried by the broker while the provider fails)</td>
      </tr>
    );
  }
  return (
    <tr data-step={channel}>
      <td>{channel} sent</td>
      <td>{clock(delivery.sentAt)}</td>
      <td class="num">{Date.parse(delivery.sentAt) - Date.parse(timeline.registeredAt)} ms</td>
      <td class={`num${delivery.attempts > 1 ? ' alarm' : ''}`}>{delivery.attempts}</td>
    </tr>
  );
}

/** `HH:MM:SS.mmm UTC`: milliseconds matter on this timeline, and every service logs in UTC. */
function clock(iso: string): string {
  return `${new Date(iso).toISOString().slice(11, 23)} UTC`;
}

function describeProvider(provider: unknown): string {
  const { latencyMs, failureRate } = (provider ?? {}) as { latencyMs?: number; failureRate?: number };
  return `${latencyMs ?? '?'} ms, ${Math.round((failureRate ?? 0) * 100)}% failing`;
}
