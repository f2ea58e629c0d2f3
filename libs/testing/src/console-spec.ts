import type { AdminEndpoint } from './admin-client';
import type { ServiceProcess, ServiceSpec } from './service-process';

/**
 * apps/console pointed at a running stack: the broker's admin API (with its credentials when auth
 * is on) and every service by instance name, as CONSOLE_* variables (apps/console/README.md).
 */
export function consoleSpec(broker: AdminEndpoint, services: readonly ServiceProcess[], port = 0, env: NodeJS.ProcessEnv = {}): ServiceSpec {
  const credentials = broker.adminCredentials;
  return {
    app: 'console',
    port,
    env: {
      CONSOLE_BROKER_ADMIN_URL: broker.adminUrl,
      CONSOLE_SERVICES: services.map((service) => `${service.name}=${service.url}`).join(','),
      ...(credentials ? { CONSOLE_BROKER_ACCESS_KEY: credentials.accessKey, CONSOLE_BROKER_SECRET_KEY: credentials.secretKey } : {}),
      ...env,
    },
  };
}
