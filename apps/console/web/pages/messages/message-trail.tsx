import { messageHistory, type MessageHistory } from '../../api/messages';
import { ErrorNote } from '../../components/error-note';
import { prettyBody, timeOf } from '../../components/format';
import { usePolling } from '../../hooks/use-polling';
import { href } from '../../router';

const STATE_BADGE: Record<MessageHistory['groups'][number]['state'], string> = {
  acked: 'ok',
  done: 'ok',
  'dead-lettered': 'bad',
  retrying: 'delay',
  'in flight': 'delay',
  waiting: '',
  'not delivered yet': '',
};

/** A message and what became of it: sent, each delivery attempt per group, ack or DLQ (refreshed every 2 s). */
export function MessageTrail({ messageId }: { messageId: string }) {
  const history = usePolling(() => messageHistory(messageId), 2_000, undefined, [messageId]);
  if (!history.data) return <ErrorNote error={history.error} />;
  const { message, traceId, groups, sentAt, storedAt } = history.data;
  return (
    <section class="panel" data-testid="message-trail">
      <h2>
        Message <code>{message.messageId}</code>
      </h2>
      <ErrorNote error={history.error} />
      <table>
        <tbody>
          <tr><th>Topic</th><td><a href={href('topics', message.topic)}>{message.topic}</a> <span class="badge">{message.type}</span></td></tr>
          <tr><th>Tag / keys</th><td>{message.tag ?? '—'} / {message.keys.join(', ') || '—'}</td></tr>
          {message.messageGroup ? <tr><th>Message group</th><td>{message.messageGroup}</td></tr> : null}
          <tr><th>Trace id</th><td data-testid="trace-id">{traceId ? <code>{traceId}</code> : <span class="muted">none</span>}</td></tr>
          <tr><th>Queue / offset</th><td>{message.queueId} / {message.offset}</td></tr>
          <tr><th>Body ({message.bodySize} bytes)</th><td><pre>{prettyBody(message.bodyText)}</pre></td></tr>
        </tbody>
      </table>
      <h2>Trail</h2>
      <ol class="trail" data-testid="trail">
        <li data-event="sent"><span class="time">{timeOf(sentAt)}</span> sent by {message.bornHost || 'a producer'}; stored {timeOf(storedAt)}</li>
        {timeline(groups).map(({ group, entry }, i) => (
          <li key={i} data-group={group} data-event={entry.event}>
            <span class="time">{timeOf(entry.at)}</span> <strong>{group}</strong>: {describe(entry)}
          </li>
        ))}
      </ol>
      <table data-testid="trail-groups">
        <thead>
          <tr><th>Consumer group</th><th>Now</th><th class="num">Attempts</th></tr>
        </thead>
        <tbody>
          {groups.map((group) => (
            <tr key={group.group} data-group={group.group}>
              <td><a href={href('groups', group.group)}>{group.group}</a></td>
              <td><span class={`badge ${STATE_BADGE[group.state]}`}>{group.state}</span></td>
              <td class="num">{group.attempts}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {groups.length === 0 ? <p class="muted">No consumer group reads this topic yet.</p> : null}
    </section>
  );
}

type TrailEntry = MessageHistory['groups'][number]['events'][number];

/** Every group's events in one list, in the order they happened. */
function timeline(groups: MessageHistory['groups']): { group: string; entry: TrailEntry }[] {
  return groups.flatMap((group) => group.events.map((entry) => ({ group: group.group, entry }))).sort((a, b) => a.entry.at - b.entry.at);
}

function describe(entry: TrailEntry): string {
  switch (entry.event) {
    case 'delivered':
      return `delivery attempt ${entry.attempt}`;
    case 'acked':
      return 'acknowledged';
    case 'dead-lettered':
      return `dead-lettered after attempt ${entry.attempt} (${entry.reason ?? 'no reason given'})`;
    case 'replayed':
      return 'replayed from the DLQ';
  }
}
