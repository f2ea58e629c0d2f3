import type { BrokerStats } from '../../api/dashboard';
import type { ChartSeries } from '../../components/live-chart';

interface Sample {
  /** Seconds (uPlot's time unit). */
  at: number;
  values: Map<string, number>;
}

const isSystemTopic = (name: string) => name.startsWith('%');

/**
 * The last `capacity` samples of the broker's stats, turned into chart series: cumulative counters
 * become per-second rates between consecutive samples; gauges (backlog) are drawn as they are.
 */
export class RateHistory {
  private readonly samples: Sample[] = [];

  constructor(private readonly capacity = 120) {}

  push(stats: BrokerStats): void {
    const values = new Map<string, number>();
    for (const topic of stats.topics) {
      values.set(`in ${topic.name}`, topic.in);
      values.set(`out ${topic.name}`, topic.out);
    }
    for (const group of stats.groups) values.set(`backlog ${group.name}`, group.topics.reduce((sum, topic) => sum + topic.backlog, 0));
    const groupTopics = stats.groups.flatMap((group) => group.topics);
    values.set('total in flight', groupTopics.reduce((sum, topic) => sum + topic.inflight, 0));
    values.set('total retrying', groupTopics.reduce((sum, topic) => sum + topic.retrying, 0));
    values.set('total dead letters', stats.groups.reduce((sum, group) => sum + group.deadLetters, 0));
    this.samples.push({ at: stats.at / 1000, values });
    if (this.samples.length > this.capacity) this.samples.shift();
  }

  times(): number[] {
    return this.samples.map((sample) => sample.at);
  }

  /** Messages per second into (`in`) or out of (`out`) each topic; no value before a second sample or across a broker restart. */
  topicRates(direction: 'in' | 'out', stats: BrokerStats): ChartSeries[] {
    return stats.topics
      .filter((topic) => !isSystemTopic(topic.name))
      .map((topic) => ({ label: topic.name, values: this.rates(`${direction} ${topic.name}`) }));
  }

  /** The newest rate of a topic, or 0. */
  latestRate(direction: 'in' | 'out', topic: string): number {
    return this.rates(`${direction} ${topic}`).at(-1) ?? 0;
  }

  backlogs(stats: BrokerStats): ChartSeries[] {
    return stats.groups.map((group) => ({ label: group.name, values: this.gauge(`backlog ${group.name}`) }));
  }

  /** Messages in flight, waiting for a retry, and dead letters not replayed, over all groups. */
  deliveryStates(): ChartSeries[] {
    return [
      { label: 'in flight', values: this.gauge('total in flight') },
      { label: 'retrying', values: this.gauge('total retrying') },
      { label: 'dead letters', values: this.gauge('total dead letters') },
    ];
  }

  private gauge(key: string): (number | null)[] {
    return this.samples.map((sample) => sample.values.get(key) ?? null);
  }

  private rates(key: string): (number | null)[] {
    return this.samples.map((sample, i) => {
      const previous = this.samples[i - 1];
      const before = previous?.values.get(key);
      const now = sample.values.get(key);
      if (before === undefined || now === undefined || now < before || sample.at <= previous.at) return null;
      return (now - before) / (sample.at - previous.at);
    });
  }
}
