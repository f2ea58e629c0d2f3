import { randomUUID } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

/** How the scenario page's "without a message queue" registration calls its notification services. */
export type CallStyle = 'serial' | 'parallel';

/**
 * The baseline the scenario page compares against, as a real HTTP endpoint over the same Postgres:
 * `POST /<style>` writes the account row, then calls the email and SMS "services" (`providerMs`
 * each) one after the other or both at once, and answers only when they are done.
 */
export class SynchronousRegistration {
  url = '';
  private readonly pool: pg.Pool;
  private readonly server: Server;

  constructor(
    databaseUrl: string,
    private readonly providerMs: number,
  ) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
    this.server = createServer((request, response) => {
      const style = request.url?.slice(1);
      if (request.method !== 'POST' || (style !== 'serial' && style !== 'parallel')) return void response.writeHead(404).end();
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        this.register(style, JSON.parse(body) as { email: string; phone: string; name: string }).then(
          (userId) => response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ userId })),
          (error: unknown) => response.writeHead(500).end(String(error)),
        );
      });
    });
  }

  async start(): Promise<void> {
    await this.pool.query('CREATE SCHEMA IF NOT EXISTS bench_synchronous');
    await this.pool.query('CREATE TABLE IF NOT EXISTS bench_synchronous.users (id uuid PRIMARY KEY, email text NOT NULL, phone text NOT NULL, name text NOT NULL)');
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server.close(resolve));
    await this.pool.query('DROP SCHEMA bench_synchronous CASCADE');
    await this.pool.end();
  }

  private async register(style: CallStyle, user: { email: string; phone: string; name: string }): Promise<string> {
    const userId = randomUUID();
    await this.pool.query('INSERT INTO bench_synchronous.users (id, email, phone, name) VALUES ($1, $2, $3, $4)', [userId, user.email, user.phone, user.name]);
    const sendEmail = () => sleep(this.providerMs);
    const sendSms = () => sleep(this.providerMs);
    if (style === 'serial') {
      await sendEmail();
      await sendSms();
    } else {
      await Promise.all([sendEmail(), sendSms()]);
    }
    return userId;
  }
}
