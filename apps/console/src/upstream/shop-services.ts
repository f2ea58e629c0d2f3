import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { CONSOLE_CONFIG } from '../config/console-config.provider';
import type { ConsoleConfig } from '../config/console-config';
import { type Method, requestJson } from './json-http';

/** The shop's services the console knows (CONSOLE_SERVICES), reached over their own HTTP APIs. */
@Injectable()
export class ShopServices {
  constructor(@Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig) {}

  names(): string[] {
    return Object.keys(this.config.services);
  }

  /** The base URL of a service the console knows; 404 for one it does not. */
  urlOf(service: string): string {
    const base = this.config.services[service];
    if (!base) throw new NotFoundException(`the console was started without ${service} (CONSOLE_SERVICES)`);
    return base;
  }

  request<T>(service: string, method: Method, path: string, body?: unknown): Promise<T> {
    return requestJson<T>(service, `${this.urlOf(service)}${path}`, method, body);
  }
}
