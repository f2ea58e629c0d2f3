import { useState } from 'preact/hooks';
import { configureGroup, groupDetail, type GroupConfig } from '../../api/groups';
import { ErrorNote } from '../../components/error-note';
import { useAction } from '../../hooks/use-action';
import { usePolling } from '../../hooks/use-polling';
import { DeadLetterTable } from './dead-letter-table';

/** One group: its configuration (max attempts editable), its counts per topic, its dead letters. */
export function GroupDetailPanel({ name }: { name: string }) {
  const group = usePolling(() => groupDetail(name), 2_000, undefined, [name]);
  return (
    <section class="panel" data-testid="group-detail">
      <h2>{name}</h2>
      <ErrorNote error={group.error} />
      {group.data ? (
        <>
          <ConfigForm key={group.data.config.maxAttempts} name={name} config={group.data.config} onSaved={group.refresh} />
          <table>
            <thead>
              <tr>
                <th>Topic</th><th class="num">Backlog</th><th class="num">In flight</th><th class="num">Retrying</th><th class="num">Finished</th>
              </tr>
            </thead>
            <tbody>
              {group.data.topics.map((topic) => (
                <tr key={topic.topic}>
                  <td>{topic.topic}</td>
                  <td class="num">{topic.backlog}</td>
                  <td class="num">{topic.inflight}</td>
                  <td class="num">{topic.retrying}</td>
                  <td class="num">{topic.acked}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Dead letters ({group.data.dlq})</h2>
          <DeadLetterTable group={name} count={group.data.dlq} onReplayed={group.refresh} />
        </>
      ) : null}
    </section>
  );
}

function ConfigForm({ name, config, onSaved }: { name: string; config: GroupConfig; onSaved: () => void }) {
  const [maxAttempts, setMaxAttempts] = useState(config.maxAttempts);
  const save = useAction(() => configureGroup(name, { maxAttempts }), onSaved);
  return (
    <form class="toolbar" onSubmit={(event) => (event.preventDefault(), void save.run())}>
      <span class="muted">
        {config.fifo ? 'FIFO' : 'Concurrent'}, starts from the {config.consumeFrom} message, retry policy {String(config.retryPolicy.type)}
      </span>
      <label>
        Max attempts
        <input name="maxAttempts" type="number" min={1} max={1000} value={maxAttempts} onInput={(e) => setMaxAttempts(Number(e.currentTarget.value))} />
      </label>
      <button type="submit" class="secondary" disabled={save.busy || maxAttempts === config.maxAttempts}>Save</button>
      <ErrorNote error={save.error} />
    </form>
  );
}
