import { topicDetail } from '../../api/topics';
import { ErrorNote } from '../../components/error-note';
import { usePolling } from '../../hooks/use-polling';
import { SendMessageForm } from './send-message-form';

/** One topic: its queues' offsets, and the form that sends it a test message. */
export function TopicDetailPanel({ name }: { name: string }) {
  const topic = usePolling(() => topicDetail(name), 5_000, undefined, [name]);
  return (
    <section class="panel" data-testid="topic-detail">
      <h2>
        {name} {topic.data ? <span class={`badge ${topic.data.type.toLowerCase()}`}>{topic.data.type}</span> : null}
      </h2>
      <ErrorNote error={topic.error} />
      {topic.data ? (
        <p class="muted">
          {topic.data.queues.length} queues; offsets{' '}
          {topic.data.queues.map((queue) => `${queue.id}: ${queue.minOffset}–${queue.maxOffset}`).join(', ')}
        </p>
      ) : null}
      {topic.data ? <SendMessageForm topic={name} topicType={topic.data.type} onSent={topic.refresh} /> : null}
    </section>
  );
}
