import { Inject, Injectable } from '@nestjs/common';
import { CONSOLE_CONFIG } from '../config/console-config.provider';
import type { ConsoleConfig } from '../config/console-config';
import { type Method, requestJson } from './json-http';

/** The broker's admin API (apps/broker/README.md), with its HTTP Basic credentials when auth is on. */
@Injectable()
export class BrokerAdmin {
  private readonly headers: Record<string, string>;

  constructor(@Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig) {
    const credentials = config.brokerCredentials;
    this.headers = credentials ? { authorization: `Basic ${Buffer.from(`${credentials.accessKey}:${credentials.secretKey}`).toString('base64')}` } : {};
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  request<T>(method: Method, path: string, body?: unknown): Promise<T> {
    return requestJson<T>('broker admin API', `${this.config.brokerAdminUrl}${path}`, method, body, this.headers);
  }
}
