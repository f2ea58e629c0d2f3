import { resolve } from 'node:path';
import { banner } from './banner';
import { demoPorts } from './demo-ports';
import { continueInOwnProcessGroup } from './own-process-group';
import { SHOP_PROCESSES } from './shop-processes';
import { startShop } from './start-shop';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * The first stop signal; after it, a second one stops everything at once: the demo leads its own
 * process group (own-process-group.ts), so the broker, the services and Postgres go with it instead of
 * being left running on their ports.
 */
function firstStopSignal(): { signal: Promise<NodeJS.Signals>; received: () => boolean } {
  let received = false;
  const signal = new Promise<NodeJS.Signals>((resolveSignal) => {
    const onSignal = (name: NodeJS.Signals) => {
      for (const each of STOP_SIGNALS) process.removeListener(each, onSignal);
      for (const each of STOP_SIGNALS) process.once(each, killProcessGroup);
      received = true;
      resolveSignal(name);
    };
    for (const each of STOP_SIGNALS) process.on(each, onSignal);
  });
  return { signal, received: () => received };
}

function killProcessGroup(): void {
  process.stdout.write('\nsecond stop signal: killing the broker, the services and Postgres at once\n');
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    process.exit(130);
  }
}

async function runDemo(): Promise<void> {
  // Listening before anything starts: a Ctrl-C during start-up still stops what has started.
  const stop = firstStopSignal();
  const ports = demoPorts(SHOP_PROCESSES, process.argv.slice(2), process.env);
  const shop = await startShop(resolve('.data/demo'), ports);
  if (!stop.received()) process.stdout.write(banner(shop));
  const signal = await stop.signal;
  process.stdout.write(`\n${signal}: stopping services, broker and Postgres… `);
  await shop.stop();
  process.stdout.write('stopped\n');
  process.exit(0);
}

if (continueInOwnProcessGroup()) {
  runDemo().catch((error: unknown) => {
    process.stderr.write(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
