import { clientSessions } from '../../api/operations';
import { ErrorNote } from '../../components/error-note';
import { ageOf } from '../../components/format';
import { usePolling } from '../../hooks/use-polling';
import { href } from '../../router';

/** Producers and consumers with a session on the broker (their Telemetry settings), newest first. */
export function ClientsPage() {
  const clients = usePolling(clientSessions, 3_000);
  const rows = [...(clients.data ?? [])].sort((a, b) => b.lastSeen - a.lastSeen);
  const now = Date.now();
  return (
    <>
      <ErrorNote error={clients.error} />
      <table data-testid="clients">
        <thead>
          <tr><th>Client</th><th>Type</th><th>Group</th><th>Topics</th><th class="num">Streams</th><th class="num">Last seen</th></tr>
        </thead>
        <tbody>
          {rows.map((client) => (
            <tr key={client.clientId}>
              <td><code>{client.clientId}</code></td>
              <td>{client.clientType?.replace(/_/g, ' ').toLowerCase() ?? '—'}</td>
              <td>{client.group ? <a href={href('groups', client.group)}>{client.group}</a> : '—'}</td>
              <td>{(client.topics ?? []).join(', ')}</td>
              <td class="num">{client.streams}</td>
              <td class="num">{ageOf(Math.max(0, now - client.lastSeen))} ago</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
