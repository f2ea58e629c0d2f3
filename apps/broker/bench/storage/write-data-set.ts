import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pino from 'pino';
import { Broker } from '../../src/broker';
import type { BrokerConfig } from '../../src/config/broker-config';
import { compileSubscriptionFilter } from '../../src/filtering';

interface DataSet {
  config: BrokerConfig;
  topic: string;
  group: string;
  bytes: number;
  bodySize: number;
}

/**
 * Writes `bytes` of messages through the broker core (fsync off: this is only preparation), a group
 * subscribed first; resolves with the message count. It runs in a process of its own: a bench process
 * that wrote a GiB itself keeps that memory resident, and each later spawn of the broker (fork copies
 * the parent's page tables) took up to half a second longer, which the start-up times then included.
 */
export async function writeDataSet(dataSet: DataSet): Promise<number> {
  const { stdout } = await promisify(execFile)(process.execPath, [__filename, JSON.stringify(dataSet)], { maxBuffer: 1024 * 1024 });
  return Number(/^messages (\d+)$/m.exec(stdout)?.[1] ?? Number.NaN);
}

async function write({ config, topic, group, bytes, bodySize }: DataSet): Promise<number> {
  const broker = await Broker.open({ ...config, storage: { ...config.storage, fsync: false } }, { logger: pino({ level: 'warn' }), checkTransaction: () => false });
  const signal = new AbortController().signal;
  await broker.consuming.receive({ group, topic, filter: compileSubscriptionFilter('TAG', '*'), batchSize: 1, invisibleMs: 1000, pollUntil: 0, signal });
  const body = Buffer.alloc(bodySize, 'b');
  const count = Math.ceil(bytes / bodySize);
  for (let sent = 0; sent < count; ) {
    const batch = Math.min(1000, count - sent);
    await Promise.all(
      Array.from({ length: batch }, (_, i) =>
        broker.producing.send({ topic, messageId: `M${sent + i}`, type: 'NORMAL', keys: [], properties: {}, bornAt: 0, bornHost: 'bench', gzip: false, body, digest: 'BENCH' }),
      ),
    );
    sent += batch;
  }
  await broker.close();
  return count;
}

if (require.main === module) {
  write(JSON.parse(process.argv[2]) as DataSet).then(
    (count) => process.stdout.write(`messages ${count}\n`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
