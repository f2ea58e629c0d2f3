import { deadLetters, replayDeadLetters } from '../../api/groups';
import { ErrorNote } from '../../components/error-note';
import { prettyBody, timeOf } from '../../components/format';
import { useAction } from '../../hooks/use-action';
import { usePolling } from '../../hooks/use-polling';
import { href } from '../../router';

/** The group's %DLQ% copies with body and reason; each can be handed back to the group, or all at once. */
export function DeadLetterTable({ group, count, onReplayed }: { group: string; count: number; onReplayed: () => void }) {
  // Re-read whenever the count changes (the detail panel polls it), not on a timer of its own.
  const letters = usePolling(() => deadLetters(group), 0, undefined, [group, count]);
  const replay = useAction((messageIds?: string[]) => replayDeadLetters(group, messageIds), () => (letters.refresh(), onReplayed()));
  const rows = letters.data ?? [];
  return (
    <>
      <ErrorNote error={letters.error ?? replay.error} />
      {replay.result ? <p class="notice">Replayed {replay.result.replayed.length} message(s) to {group}.</p> : null}
      {rows.length === 0 ? (
        <p class="muted">No dead letters.</p>
      ) : (
        <>
          <div class="toolbar">
            <button type="button" class="secondary" disabled={replay.busy} onClick={() => void replay.run(undefined)}>Replay all</button>
          </div>
          <table data-testid="dead-letters">
            <thead>
              <tr>
                <th>Message</th><th>From topic</th><th>Reason</th><th class="num">Attempts</th><th>Dead-lettered</th><th>Body</th><th />
              </tr>
            </thead>
            <tbody>
              {rows.map((letter) => (
                <tr key={letter.offset} data-message-id={letter.messageId}>
                  <td><a href={href('messages', letter.messageId)}><code>{letter.messageId}</code></a></td>
                  <td>{letter.properties.DLQ_ORIGIN_TOPIC}</td>
                  <td>{letter.properties.DLQ_REASON}</td>
                  <td class="num">{letter.properties.DLQ_ATTEMPTS}</td>
                  <td>{timeOf(letter.storedAt)}</td>
                  <td><pre>{prettyBody(letter.bodyText)}</pre></td>
                  <td><button type="button" disabled={replay.busy} onClick={() => void replay.run([letter.messageId])}>Replay</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
