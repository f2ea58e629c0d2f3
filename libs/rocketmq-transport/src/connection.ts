import type { LoggerService } from '@nestjs/common';
import type { BaseClientOptions } from 'rocketmq-client-nodejs';
import { clientLogger } from './client-workarounds';
import { defaultInstanceId } from './config/rocketmq-config.factory';
import type { RocketMQConnectionOptions } from './rocketmq.options';

export function clientOptions(options: RocketMQConnectionOptions, logger: LoggerService): BaseClientOptions {
  return {
    endpoints: options.endpoints,
    namespace: options.namespace ?? '',
    sslEnabled: options.tls ?? false,
    requestTimeout: options.requestTimeoutMs ?? 3000,
    sessionCredentials: options.credentials && {
      accessKey: options.credentials.accessKey,
      accessSecret: options.credentials.secretKey,
      securityToken: options.credentials.securityToken,
    },
    logger: clientLogger(logger, options.clientLog ?? 'warn'),
  };
}

export function instanceIdOf(options: RocketMQConnectionOptions): string {
  return options.instanceId ?? defaultInstanceId();
}
