import { useState } from 'preact/hooks';
import { messagesByKey, type MessageView } from '../../api/messages';
import { ErrorNote } from '../../components/error-note';
import { timeOf } from '../../components/format';
import { useAction } from '../../hooks/use-action';
import type { PageProps } from '../../pages';
import { href } from '../../router';
import { MessageTrail } from './message-trail';

/** Look a message up by id (its trail) or by topic and key (the messages carrying it). */
export function MessagesPage({ params: [messageId] }: PageProps) {
  const [id, setId] = useState(messageId ?? '');
  const [topic, setTopic] = useState('');
  const [key, setKey] = useState('');
  const byKey = useAction(() => messagesByKey(topic.trim(), key.trim()));
  return (
    <>
      <div class="form-grid">
        <form class="panel" data-testid="find-by-id" onSubmit={(event) => (event.preventDefault(), (location.hash = href('messages', id.trim())))}>
          <label>
            Message id
            <input name="messageId" required value={id} onInput={(e) => setId(e.currentTarget.value)} placeholder="e.g. 01A2B3…" />
          </label>
          <div class="actions"><button type="submit">Find</button></div>
        </form>
        <form class="panel" data-testid="find-by-key" onSubmit={(event) => (event.preventDefault(), void byKey.run())}>
          <div class="form-grid">
            <label>
              Topic
              <input name="topic" required value={topic} onInput={(e) => setTopic(e.currentTarget.value)} />
            </label>
            <label>
              Key
              <input name="key" required value={key} onInput={(e) => setKey(e.currentTarget.value)} />
            </label>
          </div>
          <div class="actions"><button type="submit" disabled={byKey.busy}>Find by key</button></div>
          <ErrorNote error={byKey.error} />
        </form>
      </div>
      {byKey.result ? <KeyMatches messages={byKey.result} /> : null}
      {messageId ? <MessageTrail key={messageId} messageId={messageId} /> : null}
    </>
  );
}

function KeyMatches({ messages }: { messages: MessageView[] }) {
  if (messages.length === 0) return <p class="muted">No message of that topic carries that key.</p>;
  return (
    <table data-testid="key-matches">
      <thead>
        <tr><th>Message</th><th>Tag</th><th>Keys</th><th>Stored</th></tr>
      </thead>
      <tbody>
        {messages.map((message) => (
          <tr key={message.messageId}>
            <td><a href={href('messages', message.messageId)}><code>{message.messageId}</code></a></td>
            <td>{message.tag}</td>
            <td>{message.keys.join(', ')}</td>
            <td>{timeOf(message.storedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
