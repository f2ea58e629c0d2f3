import { useRef } from 'preact/hooks';
import { type BrokerStats, fetchStats } from '../../api/dashboard';
import { ErrorNote } from '../../components/error-note';
import { LiveChart } from '../../components/live-chart';
import { usePolling } from '../../hooks/use-polling';
import { href } from '../../router';
import { RateHistory } from './rate-history';

const SAMPLE_EVERY_MS = 1_000;
const rate = (value: number) => (value >= 10 ? value.toFixed(0) : value.toFixed(1));

export function DashboardPage() {
  const history = useRef(new RateHistory());
  const { data: stats, error } = usePolling(fetchStats, SAMPLE_EVERY_MS, (sample) => history.current.push(sample));
  if (!stats) return <ErrorNote error={error ?? undefined} />;
  const rates = history.current;
  const times = rates.times();
  return (
    <>
      <ErrorNote error={error} />
      <Totals stats={stats} />
      <div class="charts">
        <LiveChart title="Messages in per second, by topic" unit="msg/s" times={times} series={rates.topicRates('in', stats)} />
        <LiveChart title="Messages out per second, by topic (deliveries)" unit="msg/s" times={times} series={rates.topicRates('out', stats)} />
        <LiveChart title="Backlog per consumer group" unit="messages" times={times} series={rates.backlogs(stats)} />
        <LiveChart title="In flight, retrying and dead letters (all groups)" unit="messages" times={times} series={rates.deliveryStates()} />
      </div>
      <h2>Topics</h2>
      <table data-testid="topics">
        <thead>
          <tr>
            <th>Topic</th><th>Type</th><th class="num">Queues</th><th class="num">Messages</th><th class="num">In/s</th><th class="num">Out/s</th>
          </tr>
        </thead>
        <tbody>
          {stats.topics.map((topic) => (
            <tr key={topic.name} data-topic={topic.name}>
              <td><a href={href('topics', topic.name)}>{topic.name}</a></td>
              <td><span class={`badge ${topic.type.toLowerCase()}`}>{topic.type}</span></td>
              <td class="num">{topic.queues}</td>
              <td class="num">{topic.messages}</td>
              <td class="num">{rate(rates.latestRate('in', topic.name))}</td>
              <td class="num">{rate(rates.latestRate('out', topic.name))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Consumer groups</h2>
      <table data-testid="groups">
        <thead>
          <tr>
            <th>Group</th><th>Topics</th><th class="num">Backlog</th><th class="num">In flight</th><th class="num">Retrying</th><th class="num">DLQ</th>
          </tr>
        </thead>
        <tbody>
          {stats.groups.map((group) => {
            const sum = (field: 'backlog' | 'inflight' | 'retrying') => group.topics.reduce((total, topic) => total + topic[field], 0);
            return (
              <tr key={group.name} data-group={group.name}>
                <td><a href={href('groups', group.name)}>{group.name}</a>{group.fifo ? <span class="badge fifo">FIFO</span> : null}</td>
                <td>{group.topics.map((topic) => topic.topic).join(', ')}</td>
                <td class="num">{sum('backlog')}</td>
                <td class="num">{sum('inflight')}</td>
                <td class="num">{sum('retrying')}</td>
                <td class={`num${group.deadLetters > 0 ? ' alarm' : ''}`}>{group.deadLetters}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

function Totals({ stats }: { stats: BrokerStats }) {
  const groupTopics = stats.groups.flatMap((group) => group.topics);
  const cards = [
    ['Topics', stats.topics.filter((topic) => !topic.name.startsWith('%')).length],
    ['Consumer groups', stats.groups.length],
    ['Backlog', groupTopics.reduce((sum, topic) => sum + topic.backlog, 0)],
    ['In flight', groupTopics.reduce((sum, topic) => sum + topic.inflight, 0)],
    ['Dead letters', stats.groups.reduce((sum, group) => sum + group.deadLetters, 0)],
  ] as const;
  return (
    <div class="cards">
      {cards.map(([label, value]) => (
        <div class="card" key={label}>
          <div class="value">{value}</div>
          <div class="label">{label}</div>
        </div>
      ))}
    </div>
  );
}
