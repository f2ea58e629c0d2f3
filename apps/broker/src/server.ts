import type { Logger } from 'pino';
import { collectDefaultMetrics } from 'prom-client';
import { AdminAccess } from './admin/admin-access';
import { AdminServer } from './admin/admin-server';
import { Authenticator } from './auth/credentials';
import { Broker } from './broker';
import type { BrokerConfig } from './config/broker-config';
import { ClientSessions } from './protocol/client-sessions';
import { GrpcServer } from './protocol/grpc/grpc-server';
import { MessagingService } from './protocol/messaging-service';
import { loadMessagingService } from './protocol/proto';
import type { Address } from './protocol/wire';

export interface RunningBroker {
  broker: Broker;
  grpcAddress: Address;
  adminUrl: string;
  close(): Promise<void>;
}

/** Java proxy's inbound limit; bodies are checked against 4 MiB separately with a proper status. */
const MAX_RECEIVE_MESSAGE_BYTES = 130 * 1024 * 1024;

export async function startBroker(config: BrokerConfig, logger: Logger): Promise<RunningBroker> {
  const sessions = new ClientSessions(config.limits.maxClientSessions);
  const broker = await Broker.open(config, { logger, checkTransaction: (message) => sessions.checkTransaction(message, logger) });
  collectDefaultMetrics({ register: broker.metrics.registry, prefix: 'broker_' });
  const grpcAddress: Address = { host: config.host, port: config.port };
  const auth = new Authenticator(config.auth);
  const service = new MessagingService(broker, sessions, auth, logger, () => grpcAddress);

  const grpc = new GrpcServer({ maxReceiveBytes: MAX_RECEIVE_MESSAGE_BYTES, logger });
  grpc.addService(loadMessagingService(), service.implementation());
  grpcAddress.port = await grpc.listen(config.host, config.port);
  const admin = new AdminServer(broker, sessions, new AdminAccess(auth, config.admin.allowedHosts), logger);
  const adminAddress = await admin.listen(config.admin.host, config.adminPort);

  return {
    broker,
    grpcAddress,
    adminUrl: `http://${config.admin.host}:${adminAddress.port}`,
    async close() {
      // Stop accepting, end streams (long polls answer at once), then flush and close the log.
      service.stop();
      const stopped = grpc.close(3000);
      await broker.close();
      await stopped;
      await admin.close();
    },
  };
}
