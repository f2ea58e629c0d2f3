import { loadConfig } from './config/broker-config';
import { createBrokerLogger } from './logger';
import { startBroker } from './server';

async function main(): Promise<void> {
  const config = loadConfig(process.argv.slice(2), process.env);
  const logger = createBrokerLogger(process.env.LOG_LEVEL ?? 'info');
  const running = await startBroker(config, logger);
  const { host, port } = running.grpcAddress;
  // Plain lines on stdout: scripts and tests wait for them.
  process.stdout.write(`broker listening on ${host}:${port}\nadmin listening on ${running.adminUrl}\ndata directory ${config.dataDir}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`broker failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
