import { useState } from 'preact/hooks';
import { sendTestMessage, type TestMessage } from '../../api/topics';
import { ErrorNote } from '../../components/error-note';
import { useAction } from '../../hooks/use-action';
import { href } from '../../router';
import type { TopicType } from '../../../src/api-contract/broker-stats';

type SendableType = NonNullable<TestMessage['messageType']>;
const SENDABLE: SendableType[] = ['NORMAL', 'FIFO', 'DELAY'];

/** A test message as a producer would send it: JSON body, tag, keys, type, message group or delay. */
export function SendMessageForm({ topic, topicType, onSent }: { topic: string; topicType: TopicType; onSent: () => void }) {
  const [body, setBody] = useState('{\n  "hello": "from the console"\n}');
  const [tag, setTag] = useState('');
  const [keys, setKeys] = useState('');
  const [messageType, setMessageType] = useState<SendableType>(SENDABLE.includes(topicType as SendableType) ? (topicType as SendableType) : 'NORMAL');
  const [messageGroup, setMessageGroup] = useState('');
  const [delaySeconds, setDelaySeconds] = useState(10);
  const send = useAction(() => sendTestMessage(topic, messageOf()), onSent);

  function messageOf(): TestMessage {
    return {
      body,
      tag: tag.trim() || undefined,
      keys: keys.split(',').map((key) => key.trim()).filter(Boolean),
      messageType,
      messageGroup: messageType === 'FIFO' ? messageGroup.trim() : undefined,
      delaySeconds: messageType === 'DELAY' ? delaySeconds : undefined,
    };
  }

  return (
    <form data-testid="send-message" onSubmit={(event) => (event.preventDefault(), void send.run())}>
      <h2>Send a test message</h2>
      <label>
        Body (JSON)
        <textarea name="body" value={body} onInput={(e) => setBody(e.currentTarget.value)} />
      </label>
      <div class="form-grid" style="margin-top: 12px">
        <label>
          Tag
          <input name="tag" value={tag} onInput={(e) => setTag(e.currentTarget.value)} placeholder="e.g. OrderCreated" />
        </label>
        <label>
          Keys (comma separated)
          <input name="keys" value={keys} onInput={(e) => setKeys(e.currentTarget.value)} placeholder="e.g. order-1001" />
        </label>
        <label>
          Message type
          <select name="messageType" value={messageType} onChange={(e) => setMessageType(e.currentTarget.value as SendableType)}>
            {SENDABLE.map((option) => <option key={option}>{option}</option>)}
          </select>
        </label>
        {messageType === 'FIFO' ? (
          <label>
            Message group
            <input name="messageGroup" required value={messageGroup} onInput={(e) => setMessageGroup(e.currentTarget.value)} placeholder="e.g. user-42" />
          </label>
        ) : null}
        {messageType === 'DELAY' ? (
          <label>
            Delay (seconds)
            <input name="delaySeconds" type="number" min={1} max={86400} value={delaySeconds} onInput={(e) => setDelaySeconds(Number(e.currentTarget.value))} />
          </label>
        ) : null}
      </div>
      <div class="actions">
        <button type="submit" disabled={send.busy}>Send</button>
        {send.result ? (
          <span class="notice" data-testid="sent">
            Sent <a href={href('messages', send.result.messageId)}>{send.result.messageId}</a> to queue {send.result.queueId}
          </span>
        ) : null}
      </div>
      <ErrorNote error={send.error} />
    </form>
  );
}
