import { connect } from 'node:http2';
import { type Client, type ClientDuplexStream, type ClientReadableStream, credentials, makeGenericClientConstructor, Metadata, type ServiceError, status } from '@grpc/grpc-js';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadGenericService } from '../proto';
import { frameHeader } from './framing';
import { type BidiHandler, GrpcServer } from './grpc-server';
import { deadlineOf, type ServerCall } from './server-call';

type Unary = (request: object, metadata: Metadata, callback: (error: ServiceError | null, response: Record<string, unknown>) => void) => void;

let server: GrpcServer;
let port: number;
let client: Client & Record<string, (...args: unknown[]) => unknown>;
const seen: { clientId?: string; receiving: number; cancelled: number } = { receiving: 0, cancelled: 0 };

beforeEach(async () => {
  seen.receiving = 0;
  seen.cancelled = 0;
  server = new GrpcServer({ maxReceiveBytes: 1024, logger: pino({ level: 'silent' }) });
  server.addService(loadGenericService(), {
    QueryRoute: async (request: { topic?: { name: string } }, call: ServerCall) => {
      seen.clientId = call.metadata.get('x-mq-client-id');
      if (request.topic?.name === 'throw') throw new Error('handler bug');
      return { status: { code: 'OK', message: request.topic?.name } };
    },
    ReceiveMessage: (request: { batchSize: number }, call: ServerCall) => {
      seen.receiving++;
      call.onCancelled(() => seen.cancelled++);
      if (request.batchSize === 0) return; // never answers: the client cancels
      for (let i = 0; i < request.batchSize; i++) call.write({ status: { code: 'OK', message: `#${i}` } });
      call.end();
      call.write({ status: { code: 'OK', message: 'after the end' } });
    },
    Telemetry: ((call: ServerCall) => ({
      message: (command: { status?: { message: string } }) => call.write({ status: { code: 'OK', message: `echo ${command.status?.message}` } }),
      end: () => call.end(),
    })) as BidiHandler,
  });
  port = await server.listen('127.0.0.1', 0);
  const Constructor = makeGenericClientConstructor(loadGenericService() as never, 'MessagingService');
  client = new Constructor(`127.0.0.1:${port}`, credentials.createInsecure()) as typeof client;
});

afterEach(async () => {
  client.close();
  await server.close(1000);
});

const metadata = () => {
  const result = new Metadata();
  result.set('x-mq-client-id', 'client-7');
  return result;
};

function unary(method: string, request: object): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => (client[method] as Unary)(request, metadata(), (error, response) => (error ? reject(error) : resolve(response))));
}

function collect(stream: ClientReadableStream<{ status: { message: string } }>): Promise<string[]> {
  const messages: string[] = [];
  stream.on('data', (response: { status: { message: string } }) => messages.push(response.status.message));
  return new Promise((resolve, reject) => {
    stream.on('error', reject);
    stream.on('end', () => resolve(messages));
  });
}

/** A raw HTTP/2 request to the server: status headers and trailers as they arrive. */
async function raw(path: string, body: Buffer, contentType = 'application/grpc'): Promise<Record<string, unknown>> {
  const session = connect(`http://127.0.0.1:${port}`);
  try {
    const request = session.request({ ':method': 'POST', ':path': path, 'content-type': contentType, te: 'trailers' });
    const seenHeaders: Record<string, unknown> = {};
    request.on('response', (headers) => Object.assign(seenHeaders, headers));
    request.on('trailers', (trailers) => Object.assign(seenHeaders, trailers));
    request.resume();
    request.end(body);
    await new Promise((resolve) => request.on('close', resolve));
    return seenHeaders;
  } finally {
    session.close();
  }
}

describe('GrpcServer', () => {
  it('answers a unary call, with the request metadata visible to the handler', async () => {
    expect(await unary('QueryRoute', { topic: { name: 'orders' } })).toMatchObject({ status: { code: 'OK', message: 'orders' } });
    expect(seen.clientId).toBe('client-7');
  });

  it('streams every response written before the end, and none after it', async () => {
    const stream = (client.ReceiveMessage as (r: object, m: Metadata) => ClientReadableStream<{ status: { message: string } }>)({ batchSize: 3 }, metadata());
    expect(await collect(stream)).toEqual(['#0', '#1', '#2']);
  });

  it('tells a streaming handler that the client cancelled', async () => {
    const stream = (client.ReceiveMessage as (r: object, m: Metadata) => ClientReadableStream<unknown>)({ batchSize: 0 }, metadata());
    stream.on('error', () => undefined);
    await expect.poll(() => seen.receiving, { timeout: 5000 }).toBe(1); // the handler runs before the client cancels
    stream.cancel();
    await expect.poll(() => seen.cancelled, { timeout: 5000 }).toBe(1);
  });

  it('answers each message of a bidirectional stream and ends when the client does', async () => {
    const stream = (client.Telemetry as (m: Metadata) => ClientDuplexStream<object, { status: { message: string } }>)(metadata());
    const answers = collect(stream as unknown as ClientReadableStream<{ status: { message: string } }>);
    stream.write({ status: { code: 'OK', message: 'one' } });
    stream.write({ status: { code: 'OK', message: 'two' } });
    stream.end();
    expect(await answers).toEqual(['echo one', 'echo two']);
  });

  it('answers UNIMPLEMENTED for a method without a handler', async () => {
    await expect(unary('UpdateOffset', {})).rejects.toMatchObject({ code: status.UNIMPLEMENTED });
  });

  it('answers INTERNAL, logged, when a handler throws', async () => {
    await expect(unary('QueryRoute', { topic: { name: 'throw' } })).rejects.toMatchObject({ code: status.INTERNAL, details: 'internal error' });
  });

  it('answers RESOURCE_EXHAUSTED for a request over the size limit', async () => {
    await expect(unary('QueryRoute', { topic: { name: 'x'.repeat(2000) } })).rejects.toMatchObject({ code: status.RESOURCE_EXHAUSTED });
  });

  it('answers INTERNAL for bytes that are not the request message, and for a missing request', async () => {
    const garbage = Buffer.from([0x0a, 0xff, 0xff, 0xff]);
    expect(await raw('/apache.rocketmq.v2.MessagingService/QueryRoute', Buffer.concat([frameHeader(garbage.length), garbage]))).toMatchObject({ 'grpc-status': String(status.INTERNAL) });
    expect(await raw('/apache.rocketmq.v2.MessagingService/QueryRoute', Buffer.alloc(0))).toMatchObject({ 'grpc-status': String(status.INTERNAL) });
  });

  it('lets a client send megabytes before any WINDOW_UPDATE, on the connection and on each stream', async () => {
    const session = connect(`http://127.0.0.1:${port}`);
    try {
      await new Promise((resolve) => session.once('remoteSettings', resolve));
      // A PING's answer comes after every frame the server sent before it (its SETTINGS and WINDOW_UPDATE).
      await new Promise((resolve, reject) => session.ping((error) => (error ? reject(error) : resolve(undefined))));
      expect(session.remoteSettings.initialWindowSize).toBe(16 * 1024 * 1024);
      expect(session.state.remoteWindowSize).toBe(16 * 1024 * 1024);
    } finally {
      session.close();
    }
  });

  it('answers HTTP 415 to a request that is not gRPC', async () => {
    expect(await raw('/apache.rocketmq.v2.MessagingService/QueryRoute', Buffer.from('{}'), 'application/json')).toMatchObject({ ':status': 415 });
  });
});

describe('deadlineOf', () => {
  it('reads grpc-timeout in every unit', () => {
    expect(deadlineOf(undefined, 1000)).toBe(Infinity);
    expect(deadlineOf('5S', 1000)).toBe(6000);
    expect(deadlineOf('250m', 1000)).toBe(1250);
    expect(deadlineOf('2M', 0)).toBe(120_000);
    expect(deadlineOf('1000000u', 0)).toBe(1000);
    expect(() => deadlineOf('5 seconds', 0)).toThrow(/grpc-timeout/);
  });
});
