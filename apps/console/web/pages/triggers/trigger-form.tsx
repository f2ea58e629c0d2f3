import { useState } from 'preact/hooks';
import { createTrigger, type TriggerDefinition, type TriggerInput, updateTrigger } from '../../api/triggers';
import { ErrorNote } from '../../components/error-note';
import { useAction } from '../../hooks/use-action';

interface Fields {
  name: string;
  topic: string;
  consumerGroup: string;
  tag: string;
  batchSize: number;
  batchWindowMs: number;
  targetUrl: string;
  timeoutMs: number;
  maxAttempts: number;
}

const NEW: Fields = { name: '', topic: '', consumerGroup: '', tag: '*', batchSize: 1, batchWindowMs: 0, targetUrl: '', timeoutMs: 10_000, maxAttempts: 16 };

function fieldsOf(definition: TriggerDefinition): Fields {
  return { ...definition, tag: 'tag' in definition.filter ? definition.filter.tag : '*', maxAttempts: definition.retry.maxAttempts };
}

/** Creates a trigger, or changes one (`editing`); the trigger service fills in defaults and checks every field. */
export function TriggerForm({ editing, onSaved, onCancel }: { editing?: TriggerDefinition; onSaved: () => void; onCancel: () => void }) {
  const [fields, setFields] = useState<Fields>(editing ? fieldsOf(editing) : NEW);
  const set = (name: keyof Fields, numeric = false) => (event: { currentTarget: HTMLInputElement }) =>
    setFields({ ...fields, [name]: numeric ? Number(event.currentTarget.value) : event.currentTarget.value });
  const save = useAction(() => {
    const { tag, maxAttempts, ...rest } = fields;
    // An edit keeps what the form does not show (SQL filter, backoff, concurrency).
    const trigger: TriggerInput = { ...editing, ...rest, filter: editing && 'sql' in editing.filter ? editing.filter : { tag }, retry: { ...editing?.retry, maxAttempts } as TriggerDefinition['retry'] };
    return editing ? updateTrigger(trigger) : createTrigger(trigger);
  }, onSaved);
  const input = (label: string, name: keyof Fields, props: Record<string, unknown> = {}) => (
    <label>
      {label}
      <input name={name} value={fields[name]} onInput={set(name, props.type === 'number')} {...props} />
    </label>
  );
  return (
    <form class="panel" data-testid="trigger-form" onSubmit={(event) => (event.preventDefault(), void save.run())}>
      <h2>{editing ? `Change trigger ${editing.name}` : 'Add a trigger'}</h2>
      <div class="form-grid">
        {input('Name', 'name', { required: true, disabled: Boolean(editing) })}
        {input('Topic', 'topic', { required: true })}
        {input('Consumer group', 'consumerGroup', { required: true })}
        {input('Tag filter', 'tag', { disabled: Boolean(editing && 'sql' in editing.filter) })}
        {input('Function URL', 'targetUrl', { required: true, type: 'url', placeholder: 'http://127.0.0.1:3006/function' })}
        {input('Batch size', 'batchSize', { type: 'number', min: 1, max: 32 })}
        {input('Batch window (ms)', 'batchWindowMs', { type: 'number', min: 0, max: 10000 })}
        {input('Timeout (ms)', 'timeoutMs', { type: 'number', min: 100, max: 300000 })}
        {input('Max attempts', 'maxAttempts', { type: 'number', min: 1, max: 100 })}
      </div>
      <div class="actions">
        <button type="submit" disabled={save.busy}>{editing ? 'Save' : 'Add'}</button>
        {editing ? <button type="button" class="secondary" onClick={onCancel}>Cancel</button> : null}
      </div>
      <ErrorNote error={save.error} />
    </form>
  );
}
