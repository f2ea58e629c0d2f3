import type { Logger } from 'pino';
import type { Permissions } from '../../auth/permissions';
import type { Broker } from '../../broker';
import { CLIENT_MAX_RESPONSE_BYTES } from '../../config/broker-config';
import { BrokerError, Code } from '../../errors';
import { FilterExpressionError, compileSubscriptionFilter } from '../../filtering';
import { checkGroupName, checkTopicName } from '../../messaging/names';
import type { AutoRenewal } from '../auto-renewal';
import type { AckRequestWire } from '../consumer-request-decoder';
import { forwardedReason } from '../dead-letter-reason';
import { encodeDelivery } from '../delivery-encoder';
import { FRAME_HEADER_BYTES } from '../grpc/framing';
import type { ServerCall } from '../grpc/server-call';
import { OK, type Status, combinedStatus, statusOf } from '../status';
import { type Address, type FilterExpression, type Resource, timestampOf, toMillis } from '../wire';
import type { Authenticate, Request } from './request';

export interface ReceiveRequestWire {
  group?: Resource;
  messageQueue?: { topic?: Resource; id?: number };
  filterExpression?: FilterExpression;
  batchSize?: number;
  invisibleDuration?: { seconds?: number; nanos?: number };
  autoRenew?: boolean;
  longPollingTimeout?: { seconds?: number; nanos?: number };
  attemptId?: string;
}

/** ReceiveMessage, AckMessage, ChangeInvisibleDuration and ForwardMessageToDeadLetterQueue. */
export class ConsumerActivity {
  constructor(
    private readonly broker: Broker,
    private readonly authenticate: Authenticate,
    private readonly autoRenewal: AutoRenewal,
    private readonly logger: Logger,
    private readonly listenAddress: () => Address,
  ) {}

  async receiveMessage(request: ReceiveRequestWire, call: ServerCall): Promise<void> {
    const abort = new AbortController();
    call.onCancelled(() => abort.abort());
    const finish = (status: Status) => {
      if (!call.cancelled) {
        call.write({ status });
        call.write({ deliveryTimestamp: timestampOf(Date.now()) });
      }
      call.end();
    };
    try {
      const { clientId, permissions } = this.authenticate(call.metadata);
      const { group, topic, receive } = this.receiveParameters(request, call.deadline, permissions);
      const deliveries = await this.broker.consuming.receive({ ...receive, group, topic, signal: abort.signal });
      if (call.cancelled) {
        for (const d of deliveries) this.broker.consuming.release(group, topic, d.receiptHandle);
        return;
      }
      const storeHost = `${this.listenAddress().host}:${this.listenAddress().port}`;
      const encoded = deliveries.map((d) => encodeDelivery(d.message, { receiptHandle: d.receiptHandle, attempt: d.attempt, invisibleMs: receive.invisibleMs, storeHost }));
      const receivable: number[] = [];
      deliveries.forEach((d, i) => {
        const bytes = encoded[i].length - FRAME_HEADER_BYTES;
        if (bytes <= CLIENT_MAX_RESPONSE_BYTES) receivable.push(i);
        else void this.deadLetterUnreceivable(group, topic, d.receiptHandle, bytes);
      });
      if (receivable.length === 0) return finish({ code: Code.MESSAGE_NOT_FOUND, message: 'no new message' });
      call.write({ status: OK });
      for (const i of receivable) {
        if (request.autoRenew) this.autoRenewal.track(clientId, group, topic, deliveries[i].receiptHandle);
        call.writeFrame(encoded[i]);
      }
      call.write({ deliveryTimestamp: timestampOf(Date.now()) });
      call.end();
    } catch (error) {
      const status = statusOf(error);
      if (status.code === Code.INTERNAL_SERVER_ERROR) this.logger.error({ err: error }, 'ReceiveMessage failed');
      finish(status);
    }
  }

  async ackMessage({ request, permissions }: Request<AckRequestWire>) {
    const group = checkGroupName(request.group?.name);
    const topic = checkTopicName(request.topic?.name, { allowDeadLetter: true });
    permissions.requireSubscribe(topic, group);
    const requested = request.entries ?? [];
    if (requested.length === 0) throw new BrokerError(Code.BAD_REQUEST, 'no entry to acknowledge');
    const failures = await this.broker.consuming.ack(group, topic, requested.map((entry) => entry.receiptHandle ?? ''));
    const entries = requested.map((entry, i) => ({ messageId: entry.messageId, receiptHandle: entry.receiptHandle, status: failures[i] ? statusOf(failures[i]) : OK }));
    return { status: combinedStatus(entries.map((e) => e.status)), entries };
  }

  changeInvisibleDuration({ request, permissions }: Request<{ group?: Resource; topic?: Resource; receiptHandle?: string; invisibleDuration?: { seconds?: number; nanos?: number } }>) {
    const group = checkGroupName(request.group?.name);
    const topic = checkTopicName(request.topic?.name, { allowDeadLetter: true });
    permissions.requireSubscribe(topic, group);
    const invisibleMs = toMillis(request.invisibleDuration) ?? -1;
    const max = this.broker.config.consumer.maxInvisibleMs;
    if (invisibleMs < 0 || invisibleMs > max) throw new BrokerError(Code.ILLEGAL_INVISIBLE_TIME, `invisible duration ${invisibleMs} ms is out of range [0, ${max}]`);
    const receiptHandle = this.broker.consuming.changeInvisibleDuration(group, topic, request.receiptHandle ?? '', invisibleMs);
    return { status: OK, receiptHandle };
  }

  async forwardToDeadLetterQueue({ request, metadata, permissions }: Request<{ group?: Resource; topic?: Resource; receiptHandle?: string }>) {
    const group = checkGroupName(request.group?.name);
    const topic = checkTopicName(request.topic?.name);
    permissions.requireSubscribe(topic, group);
    await this.broker.consuming.forwardToDeadLetterQueue(group, topic, request.receiptHandle ?? '', forwardedReason(metadata));
    return { status: OK };
  }

  /**
   * A message stored before the body limit existed (or by a path that bypasses it) would fail the
   * client's whole receive, again on every retry, and stall its FIFO message group: it goes to the
   * DLQ instead, where the admin API can still read it.
   */
  private async deadLetterUnreceivable(group: string, topic: string, receiptHandle: string, bytes: number): Promise<void> {
    const reason = `a delivery of ${bytes} bytes exceeds the ${CLIENT_MAX_RESPONSE_BYTES} bytes a client receives in one response`;
    try {
      await this.broker.consuming.forwardToDeadLetterQueue(group, topic, receiptHandle, reason);
    } catch (error) {
      // Redelivered after its invisible time and tried again then.
      this.logger.error({ err: error, group, topic }, 'dead-lettering an unreceivable message failed');
    }
  }

  private receiveParameters(request: ReceiveRequestWire, deadline: number, permissions: Permissions) {
    const { consumer } = this.broker.config;
    const group = checkGroupName(request.group?.name);
    const topic = checkTopicName(request.messageQueue?.topic?.name, { allowDeadLetter: true });
    permissions.requireSubscribe(topic, group);
    this.broker.topics.require(topic);
    const batchSize = request.batchSize ?? 0;
    if (batchSize < 1) throw new BrokerError(Code.BAD_REQUEST, `batch size ${batchSize} must be at least 1`);
    let invisibleMs = consumer.autoRenewInvisibleMs;
    if (!request.autoRenew) {
      invisibleMs = toMillis(request.invisibleDuration) ?? -1;
      if (invisibleMs < consumer.minInvisibleMs || invisibleMs > consumer.maxInvisibleMs) {
        throw new BrokerError(Code.ILLEGAL_INVISIBLE_TIME, `invisible duration ${invisibleMs} ms is out of range [${consumer.minInvisibleMs}, ${consumer.maxInvisibleMs}]`);
      }
    }
    const now = Date.now();
    const remaining = deadline - now;
    if (remaining < consumer.minLongPollingMs) {
      throw new BrokerError(Code.ILLEGAL_POLLING_TIME, `the call deadline leaves ${remaining} ms, less than the minimum long polling time ${consumer.minLongPollingMs} ms`);
    }
    const requested = toMillis(request.longPollingTimeout) ?? consumer.maxLongPollingMs;
    // Answer before the client's deadline so an empty poll is an answer, not a timeout.
    const pollMs = Math.min(Math.max(requested, consumer.minLongPollingMs), consumer.maxLongPollingMs, remaining - 500);
    return {
      group,
      topic,
      receive: {
        filter: compile(request.filterExpression),
        batchSize: Math.min(batchSize, consumer.maxBatchSize),
        invisibleMs,
        pollUntil: now + pollMs,
      },
    };
  }
}

function compile(expression: FilterExpression | undefined) {
  const type = expression?.type === 'SQL' ? 'SQL' : 'TAG';
  try {
    return compileSubscriptionFilter(type, expression?.expression ?? '*');
  } catch (error) {
    if (error instanceof FilterExpressionError) throw new BrokerError(Code.ILLEGAL_FILTER_EXPRESSION, error.message);
    throw error;
  }
}
