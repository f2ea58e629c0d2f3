import { useState } from 'preact/hooks';
import { type PriceCacheView, type ReplicaView, changePrice, fetchPriceCache, setReplicaRunning } from '../../api/scenarios';
import { ErrorNote } from '../../components/error-note';
import { usePolling } from '../../hooks/use-polling';
import { FaultCard } from './fault-panel';

const STOP_EXPLAINED =
  'The replica stops (its port refuses) and the demo keeps it down. Its own broadcast group keeps collecting price changes in the broker ' +
  'while the other replicas converge without it. Brought back, it starts empty, asks inventory for a snapshot and replays its group: ' +
  'it converges to the latest version, and only newer versions ever win.';

export function PriceCachePage() {
  const { data, error, refresh } = usePolling(fetchPriceCache, 1_000);
  const [actionError, setActionError] = useState<string>();
  const act = async (work: () => Promise<unknown>) => {
    setActionError(undefined);
    try {
      await work();
      refresh();
    } catch (failure) {
      setActionError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  return (
    <>
      <p class="muted">Cache synchronisation: inventory publishes each price change once; every replica applies it from its own broadcast group and serves reads from memory.</p>
      <ErrorNote error={actionError ?? error} />
      {data ? <PriceChange latest={data.latest} onChange={(sku, cents) => act(() => changePrice(sku, cents))} /> : null}
      {data ? <VersionTable view={data} /> : null}
      {data?.canStopReplicas ? (
        // The demo control exists only with faults enabled: it is the switch.
        <FaultCard title="stop a price-cache replica" explanation={STOP_EXPLAINED} testId="stop-replica">
          {data.replicas.map((replica) => (
            <button type="button" key={replica.instance} class={replica.takenDown ? undefined : 'secondary'} onClick={() => void act(() => setReplicaRunning(replica.instance, replica.takenDown))}>
              {replica.takenDown ? `Bring back ${replica.instance}` : `Stop ${replica.instance}`}
            </button>
          ))}
        </FaultCard>
      ) : null}
    </>
  );
}

function PriceChange({ latest, onChange }: { latest: PriceCacheView['latest']; onChange: (sku: string, cents: number) => void }) {
  const [sku, setSku] = useState(latest[0]?.sku ?? '');
  const [cents, setCents] = useState('1999');
  return (
    <form
      class="toolbar"
      onSubmit={(event) => {
        event.preventDefault();
        onChange(sku, Number(cents));
      }}
    >
      <label>
        SKU
        <select value={sku} onChange={(event) => setSku(event.currentTarget.value)}>
          {latest.map((product) => (
            <option key={product.sku}>{product.sku}</option>
          ))}
        </select>
      </label>
      <label>
        New price (cents)
        <input type="number" min={1} value={cents} onInput={(event) => setCents(event.currentTarget.value)} />
      </label>
      <button type="submit">Change the price</button>
    </form>
  );
}

function VersionTable({ view }: { view: PriceCacheView }) {
  return (
    <table data-testid="replica-versions">
      <thead>
        <tr>
          <th>SKU</th>
          <th class="num">Latest version</th>
          {view.replicas.map((replica) => (
            <th key={replica.instance} class="num">
              {replica.instance} <ReplicaState replica={replica} />
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {view.latest.map((product) => (
          <tr key={product.sku} data-sku={product.sku}>
            <td>{product.sku}</td>
            <td class="num">v{product.priceVersion}</td>
            {view.replicas.map((replica) => {
              const version = replica.versions?.[product.sku];
              const state = version === undefined ? 'missing' : version === product.priceVersion ? 'current' : 'behind';
              return (
                <td key={replica.instance} class={`num version-${state}`}>
                  {version === undefined ? '—' : `v${version}`}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ReplicaState({ replica }: { replica: ReplicaView }) {
  if (replica.running) return <span class="badge ok">up</span>;
  return <span class="badge bad">{replica.takenDown ? 'stopped' : 'down'}</span>;
}
