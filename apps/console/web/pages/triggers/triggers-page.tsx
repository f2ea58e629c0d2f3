import { useState } from 'preact/hooks';
import { deleteTrigger, listTriggers, type TriggerDefinition } from '../../api/triggers';
import { ErrorNote } from '../../components/error-note';
import { useAction } from '../../hooks/use-action';
import { usePolling } from '../../hooks/use-polling';
import { href } from '../../router';
import { TriggerForm } from './trigger-form';

/** apps/trigger's HTTP push triggers: each POSTs a topic's messages, in batches, to a function URL. */
export function TriggersPage() {
  const triggers = usePolling(listTriggers, 3_000);
  const [editing, setEditing] = useState<TriggerDefinition | undefined>();
  const remove = useAction((name: string) => deleteTrigger(name), triggers.refresh);
  return (
    <>
      <TriggerForm key={editing?.name ?? 'new'} editing={editing} onSaved={() => (setEditing(undefined), triggers.refresh())} onCancel={() => setEditing(undefined)} />
      <ErrorNote error={triggers.error ?? remove.error} />
      <table data-testid="triggers">
        <thead>
          <tr>
            <th>Trigger</th><th>Topic → group</th><th>Target</th><th>Batch</th><th class="num">Delivered</th><th class="num">Failed calls</th><th class="num">Dead-lettered</th><th />
          </tr>
        </thead>
        <tbody>
          {(triggers.data ?? []).map(({ definition, stats }) => (
            <tr key={definition.name} data-trigger={definition.name}>
              <td>{definition.name}</td>
              <td>
                <a href={href('topics', definition.topic)}>{definition.topic}</a> → <a href={href('groups', definition.consumerGroup)}>{definition.consumerGroup}</a>
                <div class="muted">{'tag' in definition.filter ? `tag ${definition.filter.tag}` : `SQL ${definition.filter.sql}`}</div>
              </td>
              <td><code>{definition.targetUrl}</code><div class="muted">timeout {definition.timeoutMs} ms, {definition.retry.maxAttempts} attempts</div></td>
              <td>{definition.batchSize} / {definition.batchWindowMs} ms</td>
              <td class="num">{stats.delivered}</td>
              <td class="num" title={stats.lastError}>{stats.failedCalls}</td>
              <td class={`num${stats.deadLettered > 0 ? ' alarm' : ''}`}>{stats.deadLettered}</td>
              <td>
                <div class="actions" style="margin: 0">
                  <button type="button" class="secondary" onClick={() => setEditing(definition)}>Edit</button>
                  <button type="button" class="secondary" disabled={remove.busy} onClick={() => void remove.run(definition.name)}>Delete</button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
