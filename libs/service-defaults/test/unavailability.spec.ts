import { BadRequestException } from '@nestjs/common';
import { QueryFailedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { DeadlineMissedError, OverloadedError, RejectNulPipe, faultControllers, faultsEnabled, unavailabilityOf } from '../src';

function pgError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('unavailabilityOf', () => {
  it('recognises Postgres going away, behind TypeORM and behind a cause', () => {
    const terminated = pgError('57P01', 'terminating connection due to administrator command');
    expect(unavailabilityOf(terminated)).toMatch(/database/);
    expect(unavailabilityOf(new QueryFailedError('SELECT 1', [], terminated))).toMatch(/administrator command/);
    expect(unavailabilityOf(new Error('insert failed', { cause: pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432') }))).toMatch(/ECONNREFUSED/);
    expect(unavailabilityOf(new Error('timeout exceeded when trying to connect'))).toMatch(/database/);
    expect(unavailabilityOf(new Error('Connection terminated unexpectedly'))).toMatch(/database/);
    expect(unavailabilityOf(new Error('Query runner already released. Cannot run queries anymore.'))).toMatch(/database/);
    expect(unavailabilityOf(new QueryRunnerProviderAlreadyReleasedError())).toMatch(/database/);
  });

  it('recognises a broker that is down or overloaded', () => {
    expect(unavailabilityOf(Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14, details: 'No connection established' }))).toMatch(/broker/);
    expect(unavailabilityOf(Object.assign(new Error('too many requests'), { code: 42900 }))).toMatch(/broker/);
    expect(unavailabilityOf(Object.assign(new Error('SendMessage to 127.0.0.1:8081: connect ECONNREFUSED'), { grpcCode: 14 }))).toMatch(/broker/);
    expect(unavailabilityOf(Object.assign(new Error('SendMessage: grpc-status 3 bad'), { grpcCode: 3 }))).toBeUndefined();
    expect(unavailabilityOf(new Error('RocketMQ producer could not start against 127.0.0.1:8081 after 3 attempts'))).toMatch(/broker/);
  });

  it('recognises missed deadlines and shed load', () => {
    expect(unavailabilityOf(new DeadlineMissedError('registration missed its 5000 ms deadline'))).toBe('registration missed its 5000 ms deadline');
    expect(unavailabilityOf(new OverloadedError('busy'))).toBe('busy');
  });

  it('leaves bugs and client errors alone', () => {
    expect(unavailabilityOf(new TypeError('x is undefined'))).toBeUndefined();
    expect(unavailabilityOf(new QueryFailedError('INSERT', [], pgError('23505', 'duplicate key')))).toBeUndefined();
    expect(unavailabilityOf(Object.assign(new Error('bad request'), { code: 40008 }))).toBeUndefined();
    expect(unavailabilityOf(undefined)).toBeUndefined();
  });
});

describe('RejectNulPipe', () => {
  const pipe = new RejectNulPipe();

  it('passes values without NUL characters through unchanged', () => {
    const body = { name: 'Ada', items: [{ sku: 'A', quantity: 1 }] };
    expect(pipe.transform(body)).toBe(body);
    expect(pipe.transform('FLASH-001')).toBe('FLASH-001');
  });

  it('answers 400 naming where the NUL is, in values and in keys', () => {
    expect(() => pipe.transform({ items: [{ sku: 'A\0' }] })).toThrow(BadRequestException);
    try {
      pipe.transform({ items: [{ sku: 'A\0' }] });
    } catch (error) {
      expect((error as BadRequestException).getResponse()).toMatchObject({ issues: [{ path: 'items.0.sku' }] });
    }
    expect(() => pipe.transform({ 'a\0': 1 })).toThrow(BadRequestException);
    expect(() => pipe.transform('sku\0')).toThrow(BadRequestException);
  });
});

describe('faults', () => {
  class FaultsController {}

  it('exist only with FAULTS_ENABLED=true', () => {
    expect(faultsEnabled({})).toBe(false);
    expect(faultsEnabled({ FAULTS_ENABLED: '1' })).toBe(false);
    expect(faultControllers([FaultsController], { FAULTS_ENABLED: 'true' })).toEqual([FaultsController]);
    expect(faultControllers([FaultsController], { FAULTS_ENABLED: 'false' })).toEqual([]);
  });
});
