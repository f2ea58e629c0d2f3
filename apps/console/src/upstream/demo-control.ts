import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { CONSOLE_CONFIG } from '../config/console-config.provider';
import type { ConsoleConfig } from '../config/console-config';
import { type Method, requestJson } from './json-http';

/** One process as the demo control lists it (apps/demo README, "Demo control API"). */
export interface DemoProcess {
  instance: string;
  app: string;
  url: string;
  running: boolean;
  takenDown: boolean;
  replica: boolean;
}

/** The demo's control API (CONSOLE_DEMO_CONTROL_URL): stops and starts replicas; absent outside the demo. */
@Injectable()
export class DemoControl {
  constructor(@Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig) {}

  get configured(): boolean {
    return this.config.demoControlUrl !== undefined;
  }

  request<T>(method: Method, path: string, body?: unknown): Promise<T> {
    if (!this.config.demoControlUrl) throw new NotFoundException('the console was started without the demo control (CONSOLE_DEMO_CONTROL_URL)');
    return requestJson<T>('demo control', `${this.config.demoControlUrl}${path}`, method, body);
  }
}
