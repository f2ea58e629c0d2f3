import { useRef, useState } from 'preact/hooks';
import { fetchFlashSale, postPurchases } from '../../api/scenarios';
import { ErrorNote } from '../../components/error-note';
import { LiveChart } from '../../components/live-chart';
import { usePolling } from '../../hooks/use-polling';
import { ServiceFaults } from './fault-panel';
import { FlashSaleHistory } from './flash-sale-history';

const SAMPLE_EVERY_MS = 1_000;
const PAUSE_EXPLAINED =
  'Inventory stops taking purchase requests off the broker (its consumer pauses; no handler holds them). Buyers still get 202 at once: ' +
  'each request waits in the broker, so the backlog grows by every purchase posted while stock and sold stand still. ' +
  'Resumed, the backlog drains at the intake cap and every purchase ends confirmed or rejected — none lost, none oversold.';

export function FlashSalePage() {
  const [sale, setSale] = useState({ saleId: 'demo-sale', sku: 'FLASH-001' });
  const history = useRef(new FlashSaleHistory());
  const { data, error } = usePolling(() => fetchFlashSale(sale.saleId, sale.sku), SAMPLE_EVERY_MS, (sample) => history.current.push(sample), [sale.saleId, sale.sku]);
  const [posted, setPosted] = useState<string>();
  const [postError, setPostError] = useState<string>();

  const post = async (count: number) => {
    setPostError(undefined);
    try {
      const answer = await postPurchases(sale.saleId, sale.sku, count);
      setPosted(`${answer.accepted} accepted, ${answer.refused} refused`);
    } catch (failure) {
      setPostError(failure instanceof Error ? failure.message : String(failure));
    }
  };

  return (
    <>
      <p class="muted">
        Peak-load shifting: order admits purchases at once and queues them in RocketMQ; inventory takes them off the broker no faster than its cap.
      </p>
      <form class="toolbar" onSubmit={(event) => event.preventDefault()}>
        <label>
          Sale
          <input name="saleId" value={sale.saleId} onInput={(event) => setSale({ ...sale, saleId: event.currentTarget.value })} />
        </label>
        <label>
          SKU
          <input name="sku" value={sale.sku} onInput={(event) => setSale({ ...sale, sku: event.currentTarget.value })} />
        </label>
        <button type="button" data-testid="post-purchases" onClick={() => void post(50)}>
          Post 50 purchases
        </button>
        {posted ? <span class="muted" data-testid="posted">{posted}</span> : null}
      </form>
      <ErrorNote error={postError ?? error} />
      {data ? <FlashSaleCards sample={data} drainRate={history.current.latestDrainRate()} /> : null}
      <div class="charts">
        <LiveChart title="Purchase requests waiting in the broker" unit="requests" times={history.current.times()} series={history.current.backlog()} />
        <LiveChart title="Drain rate against the intake cap" unit="requests/s" times={history.current.times()} series={history.current.drain()} />
      </div>
      <ServiceFaults service="inventory" title="pause inventory's consumption" explanation={PAUSE_EXPLAINED} testId="pause-inventory">
        {({ settings, change, busy }) =>
          settings.purchasesPaused ? (
            <>
              <span class="badge bad">paused</span>
              <button type="button" disabled={busy} onClick={() => change({ purchasesPaused: false })}>
                Resume inventory
              </button>
            </>
          ) : (
            <button type="button" disabled={busy} onClick={() => change({ purchasesPaused: true })}>
              Pause inventory
            </button>
          )
        }
      </ServiceFaults>
    </>
  );
}

function FlashSaleCards({ sample, drainRate }: { sample: { stock: number | null; sale: { confirmed: number; pending: number; rejected: number }; intake: { backlog: number }; intakeRatePerSecond: number }; drainRate: number }) {
  const cards = [
    ['stock', 'Stock left', sample.stock ?? '—'],
    ['sold', 'Sold (confirmed)', sample.sale.confirmed],
    ['pending', 'Pending', sample.sale.pending],
    ['rejected', 'Rejected', sample.sale.rejected],
    ['backlog', 'Backlog in the broker', sample.intake.backlog],
    ['drain', `Drain rate /s (cap ${sample.intakeRatePerSecond})`, drainRate.toFixed(1)],
  ] as const;
  return (
    <div class="cards">
      {cards.map(([key, label, value]) => (
        <div class="card" key={key} data-testid={`card-${key}`}>
          <div class="value">{value}</div>
          <div class="label">{label}</div>
        </div>
      ))}
    </div>
  );
}
