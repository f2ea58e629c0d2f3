import { halfMessages } from '../../api/operations';
import { ErrorNote } from '../../components/error-note';
import { ageOf } from '../../components/format';
import { usePolling } from '../../hooks/use-polling';
import { href } from '../../router';

/** Half messages: sent, not yet committed or rolled back by their producer; the broker checks back on them. */
export function TransactionsPage() {
  const halves = usePolling(halfMessages, 2_000);
  const rows = halves.data ?? [];
  return (
    <>
      <p class="muted">
        A transactional message stays a half message until its producer commits or rolls it back. The broker asks a producer of the topic (check-back) 6 s after, then every 30 s, and
        rolls it back after 15 checks.
      </p>
      <ErrorNote error={halves.error} />
      {rows.length === 0 ? <p class="muted" data-testid="no-half-messages">No half message is waiting.</p> : null}
      <table data-testid="half-messages">
        <thead>
          <tr><th>Transaction</th><th>Message</th><th>Topic</th><th class="num">Check-backs</th><th class="num">Age</th></tr>
        </thead>
        <tbody>
          {rows.map((half) => (
            <tr key={half.transactionId}>
              <td><code>{half.transactionId}</code></td>
              <td><code>{half.messageId}</code></td>
              <td><a href={href('topics', half.topic)}>{half.topic}</a></td>
              <td class="num">{half.checks}</td>
              <td class="num">{ageOf(half.ageMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
