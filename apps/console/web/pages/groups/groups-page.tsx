import { listGroups } from '../../api/groups';
import { ErrorNote } from '../../components/error-note';
import { usePolling } from '../../hooks/use-polling';
import type { PageProps } from '../../pages';
import { href } from '../../router';
import { GroupDetailPanel } from './group-detail';

export function GroupsPage({ params: [selected] }: PageProps) {
  const groups = usePolling(listGroups, 5_000);
  return (
    <>
      {selected ? <GroupDetailPanel key={selected} name={selected} /> : null}
      <ErrorNote error={groups.error} />
      <table data-testid="group-list">
        <thead>
          <tr>
            <th>Group</th><th>Topics</th><th>Order</th><th class="num">Max attempts</th><th>Starts from</th>
          </tr>
        </thead>
        <tbody>
          {(groups.data ?? []).map((group) => (
            <tr key={group.name} data-group={group.name}>
              <td><a href={href('groups', group.name)}>{group.name}</a></td>
              <td>{group.topics.join(', ') || <span class="muted">none yet</span>}</td>
              <td>{group.fifo ? <span class="badge fifo">FIFO</span> : 'concurrent'}</td>
              <td class="num">{group.maxAttempts}</td>
              <td>{group.consumeFrom} message</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
