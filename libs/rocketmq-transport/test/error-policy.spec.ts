import { BadRequestException, Catch, Controller, type ExceptionFilter, NotFoundException, type PipeTransform, UseFilters, applyDecorators } from '@nestjs/common';
import { Ctx, Payload, RpcException } from '@nestjs/microservices';
import { throwError } from 'rxjs';
import { type RocketMQContext, type RocketMQDeadLetterEvent, RocketMQEventPattern, RocketMQEventsMap } from '@rocketmq-shop/rocketmq-transport';
import { waitFor } from '@rocketmq-shop/testing';
import { describe, expect, it } from 'vitest';
import { useBroker } from './support/broker';
import { deadLetters } from './support/dead-letters';
import { decorate, handler, moduleOf, useApps } from './support/nest';
import { unique } from './support/names';

const cases = ['original', 'validated', 'badSku', 'notFoundRetried', 'discarded', 'byFunction', 'ownFilter'] as const;
type Case = (typeof cases)[number];
const topics = Object.fromEntries(cases.map((c) => [c, unique(`policy-${c}`)])) as Record<Case, string>;
const groups = Object.fromEntries(cases.map((c) => [c, unique(`policy-${c}-g`)])) as Record<Case, string>;
/** Per case, the delivery attempts its handler saw. */
const attempts = Object.fromEntries(cases.map((c) => [c, [] as number[]])) as Record<Case, number[]>;

const providerDown = new Error('payment provider down', { cause: new Error('connect ECONNREFUSED 10.0.0.7:443') });
class CouponRule extends Error {
  override name = 'CouponRule';
}

/** A pipe like ValidationPipe: a payload without orderId never reaches the handler. */
class RequireOrderId implements PipeTransform {
  transform(value: { orderId?: unknown }) {
    if (typeof value.orderId !== 'string') throw new BadRequestException(['orderId must be a string']);
    return value;
  }
}

/** A service's own catch-all filter, as many services have one: it must still run, and must not hide the original error. */
@Catch()
class MaskingFilter implements ExceptionFilter {
  readonly caught: unknown[] = [];
  catch(exception: unknown) {
    this.caught.push(exception);
    return throwError(() => new RpcException('masked by the service filter'));
  }
}
const maskingFilter = new MaskingFilter();
const stockMissing = new NotFoundException('sku s-9 unknown');

class PolicyHandlers {
  original(_: unknown, context: RocketMQContext): void {
    attempts.original.push(context.getDeliveryAttempt());
    throw providerDown;
  }

  validated(_: unknown, context: RocketMQContext): void {
    attempts.validated.push(context.getDeliveryAttempt());
  }

  badSku(_: unknown, context: RocketMQContext): void {
    attempts.badSku.push(context.getDeliveryAttempt());
    throw new BadRequestException('bad sku');
  }

  notFoundRetried(_: unknown, context: RocketMQContext): void {
    attempts.notFoundRetried.push(context.getDeliveryAttempt());
    throw new NotFoundException('sku s-1 not stocked yet');
  }

  discarded(_: unknown, context: RocketMQContext): void {
    attempts.discarded.push(context.getDeliveryAttempt());
    throw new Error('stale price update');
  }

  ownFilter(_: unknown, context: RocketMQContext): void {
    attempts.ownFilter.push(context.getDeliveryAttempt());
    throw stockMissing;
  }

  byFunction(_: unknown, context: RocketMQContext): void {
    attempts.byFunction.push(context.getDeliveryAttempt());
    throw new CouponRule('coupon XMAS expired');
  }
}
const retries = { maxAttempts: 2, backoffMs: [100] };
decorate(PolicyHandlers, Controller(), {
  original: handler(RocketMQEventPattern(topics.original, { group: groups.original, ...retries })),
  validated: [RocketMQEventPattern(topics.validated, { group: groups.validated, ...retries }), Payload(new RequireOrderId()), Ctx()],
  badSku: handler(RocketMQEventPattern(topics.badSku, { group: groups.badSku, ...retries })),
  notFoundRetried: handler(RocketMQEventPattern(topics.notFoundRetried, { group: groups.notFoundRetried, ...retries, errorPolicy: 'retry' })),
  discarded: handler(RocketMQEventPattern(topics.discarded, { group: groups.discarded, ...retries, errorPolicy: 'discard' })),
  // As written in a controller: @RocketMQEventPattern(…) above @UseFilters(maskingFilter).
  ownFilter: handler(applyDecorators(UseFilters(maskingFilter), RocketMQEventPattern(topics.ownFilter, { group: groups.ownFilter, ...retries }))),
  byFunction: handler(
    RocketMQEventPattern(topics.byFunction, { group: groups.byFunction, ...retries, errorPolicy: (error) => (error instanceof CouponRule ? 'dead-letter' : undefined) }),
  ),
});

const broker = useBroker({ topics: Object.values(topics).map((name) => ({ name })) });
const apps = useApps(broker);

async function startHandlers() {
  const { server } = await apps.server(moduleOf({ controllers: [PolicyHandlers] }));
  const deadLettered: RocketMQDeadLetterEvent[] = [];
  server.on(RocketMQEventsMap.DEAD_LETTER, (event) => deadLettered.push(event));
  return deadLettered;
}

async function publishAndAwaitDeadLetter(which: Case, payload: object, deadLettered: RocketMQDeadLetterEvent[]) {
  const client = await apps.client();
  const { messageId } = await client.publishMessage(topics[which], payload);
  const copy = await waitFor(async () => (await deadLetters(broker.admin, groups[which])).find((m) => m.deadLetterOf?.messageId === messageId), {
    message: `message ${messageId} in %DLQ%${groups[which]}`,
  });
  const event = await waitFor(() => deadLettered.find((e) => e.messageId === messageId), { message: 'the DEAD_LETTER event' });
  // The broker recorded the reason the transport sent with the message (ADR 0023).
  expect(copy.properties.DLQ_REASON).toBe(event.reason);
  return event;
}

describe('error policy', () => {
  it('reports the error the handler threw (name, message, cause), not what Nest’s exception filter made of it', async () => {
    const deadLettered = await startHandlers();
    const event = await publishAndAwaitDeadLetter('original', { orderId: 'o-1' }, deadLettered);
    expect(event.error).toBe(providerDown);
    expect(event.reason).toBe('failed 2 times, last: payment provider down, caused by connect ECONNREFUSED 10.0.0.7:443');
    expect(attempts.original).toEqual([1, 2]);
  });

  it('dead-letters a payload a pipe rejects with a 4xx at once, with the validation messages as the reason', async () => {
    const deadLettered = await startHandlers();
    const event = await publishAndAwaitDeadLetter('validated', { order: 'o-2' }, deadLettered);
    expect(event.error).toBeInstanceOf(BadRequestException);
    expect(event.reason).toBe('not retriable: BadRequestException: Bad Request Exception (orderId must be a string)');
    expect(attempts.validated).toEqual([]);
  });

  it('records why in the dead letter itself: a handler throwing BadRequestException("bad sku")', async () => {
    const deadLettered = await startHandlers();
    const event = await publishAndAwaitDeadLetter('badSku', { sku: 's-9' }, deadLettered);
    expect(event.reason).toBe('not retriable: BadRequestException: bad sku');
    expect(attempts.badSku).toEqual([1]);
  });

  it("runs the service's own exception filter, and still decides on the error the handler threw", async () => {
    const deadLettered = await startHandlers();
    const event = await publishAndAwaitDeadLetter('ownFilter', { sku: 's-9' }, deadLettered);
    expect(event.error).toBe(stockMissing);
    expect(maskingFilter.caught).toEqual([stockMissing]);
    expect(attempts.ownFilter).toEqual([1]);
  });

  it("retries a 4xx when the handler's policy says retry", async () => {
    const deadLettered = await startHandlers();
    const event = await publishAndAwaitDeadLetter('notFoundRetried', { sku: 's-1' }, deadLettered);
    expect(event.reason).toBe('failed 2 times, last: NotFoundException: sku s-1 not stocked yet');
    expect(attempts.notFoundRetried).toEqual([1, 2]);
  });

  it('decides per error with a policy function, and leaves other errors to the default', async () => {
    const deadLettered = await startHandlers();
    const event = await publishAndAwaitDeadLetter('byFunction', { coupon: 'XMAS' }, deadLettered);
    expect(event.reason).toBe('not retriable: CouponRule: coupon XMAS expired');
    expect(attempts.byFunction).toEqual([1]);
  });

  it('acknowledges a discarded message: handled once, not redelivered, not dead-lettered', async () => {
    await startHandlers();
    const client = await apps.client();
    await client.publishMessage(topics.discarded, { price: 1 });
    await waitFor(
      async () => {
        const group = (await broker.admin.get<{ topics: { backlog: number; inflight: number; retrying: number; acked: number }[]; dlq: number }>(`/groups/${groups.discarded}`)).body;
        return group.topics?.[0]?.acked === 1 && group.topics[0].backlog === 0 ? group : undefined;
      },
      { message: 'the discarded message acknowledged' },
    );
    expect(attempts.discarded).toEqual([1]);
    expect(await deadLetters(broker.admin, groups.discarded)).toEqual([]);
  });
});
