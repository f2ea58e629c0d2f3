import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { rocketMQConfigFromEnv } from '@rocketmq-shop/rocketmq-transport';
import { connect } from 'node:net';

const CONNECT_TIMEOUT_MS = 1_000;
/** /health may be polled hard (load balancers, the no-op baseline of the flash-sale bench): one probe per second is enough. */
const CACHE_MS = 1_000;

/**
 * `broker: up` when the RocketMQ endpoint accepts a TCP connection. Consumers hold no producer whose
 * publish failures would tell, so every service probes the endpoint itself; the answer is cached for
 * a second.
 */
@Injectable()
export class BrokerReachabilityProbe {
  private readonly endpoint = firstEndpoint(rocketMQConfigFromEnv().endpoints);
  private last: { at: number; error?: string } | undefined;
  private probing: Promise<string | undefined> | undefined;

  constructor(private readonly health: HealthIndicatorService) {}

  async check(): Promise<HealthIndicatorResult> {
    if (!this.last || Date.now() - this.last.at > CACHE_MS) {
      this.probing ??= tryConnect(this.endpoint).finally(() => (this.probing = undefined));
      this.last = { at: Date.now(), error: await this.probing };
    }
    const indicator = this.health.check('broker');
    return this.last.error ? indicator.down({ endpoint: `${this.endpoint.host}:${this.endpoint.port}`, reason: this.last.error }) : indicator.up({ endpoint: `${this.endpoint.host}:${this.endpoint.port}` });
  }
}

function firstEndpoint(endpoints: string): { host: string; port: number } {
  const first = endpoints.split(/[;,]/)[0].trim().replace(/^[a-z]+:\/\//, '');
  const separator = first.lastIndexOf(':');
  return { host: first.slice(0, separator), port: Number(first.slice(separator + 1)) };
}

function tryConnect({ host, port }: { host: string; port: number }): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: CONNECT_TIMEOUT_MS });
    const done = (error?: string) => {
      socket.destroy();
      resolve(error);
    };
    socket.once('connect', () => done());
    socket.once('timeout', () => done(`no connection within ${CONNECT_TIMEOUT_MS} ms`));
    socket.once('error', (error) => done(error.message));
  });
}
