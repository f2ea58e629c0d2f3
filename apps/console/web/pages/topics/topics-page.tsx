import { useState } from 'preact/hooks';
import { createTopic, listTopics } from '../../api/topics';
import { ErrorNote } from '../../components/error-note';
import { useAction } from '../../hooks/use-action';
import { usePolling } from '../../hooks/use-polling';
import type { PageProps } from '../../pages';
import { href } from '../../router';
import { TOPIC_TYPES, type TopicType } from '../../../src/api-contract/broker-stats';
import { TopicDetailPanel } from './topic-detail';

export function TopicsPage({ params: [selected] }: PageProps) {
  const topics = usePolling(listTopics, 5_000);
  return (
    <>
      {selected ? <TopicDetailPanel name={selected} /> : null}
      <CreateTopicForm onCreated={(name) => ((location.hash = href('topics', name)), topics.refresh())} />
      <ErrorNote error={topics.error} />
      <table data-testid="topic-list">
        <thead>
          <tr>
            <th>Topic</th><th>Type</th><th class="num">Queues</th><th class="num">Messages</th>
          </tr>
        </thead>
        <tbody>
          {(topics.data ?? []).map((topic) => (
            <tr key={topic.name} data-topic={topic.name}>
              <td><a href={href('topics', topic.name)}>{topic.name}</a></td>
              <td><span class={`badge ${topic.type.toLowerCase()}`}>{topic.type}</span></td>
              <td class="num">{topic.queues}</td>
              <td class="num">{topic.messages}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function CreateTopicForm({ onCreated }: { onCreated: (name: string) => void }) {
  const [name, setName] = useState('');
  const [type, setType] = useState<TopicType>('NORMAL');
  const [queues, setQueues] = useState(4);
  const create = useAction(() => createTopic({ name, type, queues }), (topic) => onCreated(topic.name));
  return (
    <form class="panel" data-testid="create-topic" onSubmit={(event) => (event.preventDefault(), void create.run())}>
      <h2>Create a topic</h2>
      <div class="form-grid">
        <label>
          Name
          <input name="name" required pattern="[A-Za-z0-9_\-]{1,60}" value={name} onInput={(e) => setName(e.currentTarget.value)} placeholder="e.g. console-demo" />
        </label>
        <label>
          Type
          <select name="type" value={type} onChange={(e) => setType(e.currentTarget.value as TopicType)}>
            {TOPIC_TYPES.map((option) => <option key={option}>{option}</option>)}
          </select>
        </label>
        <label>
          Queues
          <input name="queues" type="number" min={1} max={64} value={queues} onInput={(e) => setQueues(Number(e.currentTarget.value))} />
        </label>
      </div>
      <div class="actions">
        <button type="submit" disabled={create.busy}>Create</button>
      </div>
      <ErrorNote error={create.error} />
    </form>
  );
}
