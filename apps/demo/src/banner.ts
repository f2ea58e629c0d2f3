import { relative } from 'node:path';
import { SCENARIO_TOURS, type ShopUrls } from './scenario-tours';
import type { RunningShop } from './start-shop';

/** Everything a visitor needs once the shop is up: where each part runs, where its logs go, what to try. */
export function banner(shop: RunningShop): string {
  const { stack } = shop;
  const running = new Set(shop.processes.map((process) => process.instance));
  const urls: ShopUrls = { service: (instance) => (running.has(instance) ? stack.url(instance) : undefined), brokerAdmin: stack.broker.adminUrl };
  const width = Math.max(...shop.processes.map((process) => process.instance.length), 'postgres'.length);
  const lines = [
    '',
    `The shop is ready in ${(shop.readyMs / 1000).toFixed(1)} s. Service logs: ${relative(process.cwd(), shop.logDir) || '.'}/<instance>.log`,
    '',
    `  Open the console: ${stack.url('console')}`,
    '',
    `  ${'broker'.padEnd(width)}  grpc ${stack.broker.endpoint}   admin ${stack.broker.adminUrl}   metrics ${stack.broker.adminUrl}/metrics`,
    `  ${'postgres'.padEnd(width)}  ${shop.databaseUrl}`,
    ...shop.processes.map(({ instance }) => {
      const base = stack.url(instance);
      return `  ${instance.padEnd(width)}  ${base}   docs ${base}/docs   health ${base}/health`;
    }),
    ...shop.skipped.map(({ app, reason }) => `  ${app.padEnd(width)}  not running: ${reason}`),
    shop.control
      ? `  demo control ${shop.control.url}/processes   stop a replica: curl -s -X PUT ${shop.control.url}/processes/price-cache-2 -H 'content-type: application/json' -d '{"running":false}'`
      : '  fault switches and demo control: off (FAULTS_ENABLED=false)',
    '',
    'Try:',
  ];
  for (const tour of SCENARIO_TOURS) {
    if (!tour.needs.every((instance) => running.has(instance))) continue;
    lines.push('', `  # ${tour.title}`, ...tour.commands(urls).map((command) => `  ${command}`));
  }
  lines.push('', 'A service that exits is restarted (the console says so). Press Ctrl-C to stop everything.', '');
  return lines.join('\n');
}
