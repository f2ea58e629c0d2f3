import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FunctionEvent } from '../src/triggers/function-event';

/** What the fake function does with a batch: answer with a status, or never answer. */
export type FunctionBehaviour = (batch: FunctionEvent[]) => number | 'hang';

/** A function over HTTP for the trigger to call: records every batch it is handed. */
export class FunctionServer {
  readonly batches: FunctionEvent[][] = [];
  behaviour: FunctionBehaviour = () => 200;
  private readonly server: Server;

  private constructor() {
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const batch = JSON.parse(body) as FunctionEvent[];
        this.batches.push(batch);
        const answer = this.behaviour(batch);
        if (answer === 'hang') return;
        response.writeHead(answer, { 'content-type': 'text/plain' }).end(answer === 200 ? 'OK' : 'boom');
      });
    });
  }

  static async start(): Promise<FunctionServer> {
    const fn = new FunctionServer();
    await new Promise<void>((resolve) => fn.server.listen(0, '127.0.0.1', resolve));
    return fn;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/fn`;
  }

  /** Every event received for this message id, in order of arrival. */
  eventsOf(msgId: string): FunctionEvent[] {
    return this.batches.flat().filter((event) => event.msgId === msgId);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
