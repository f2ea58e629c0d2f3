import type { MessageOptions, MessageView, Producer, SendReceipt, TransactionChecker } from 'rocketmq-client-nodejs';
import { TransactionResolution } from 'rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition_pb';

/**
 * A TransactionChecker that answers with `decide(message)` and remembers every check-back it got.
 * `undefined` from `decide` means "still unknown" (the client then does not end the transaction).
 */
export class RecordingChecker implements TransactionChecker {
  readonly checked: MessageView[] = [];

  constructor(private readonly decide: (message: MessageView) => TransactionResolution | undefined = () => undefined) {}

  async check(message: MessageView): Promise<TransactionResolution> {
    this.checked.push(message);
    return this.decide(message) ?? TransactionResolution.TRANSACTION_RESOLUTION_UNSPECIFIED;
  }

  checksOf(messageId: string): number {
    return this.checked.filter((message) => message.messageId === messageId).length;
  }
}

/**
 * Java's TransactionListener flow on the Node client: send a half message, run the local work, then commit or
 * roll back as it says. Local work that throws or returns nothing leaves the transaction UNKNOWN, for the
 * broker's check-back to resolve.
 */
export async function sendInTransaction(
  producer: Producer,
  message: MessageOptions,
  localWork: () => TransactionResolution | undefined | Promise<TransactionResolution | undefined>,
): Promise<SendReceipt> {
  const transaction = producer.beginTransaction();
  const receipt = await producer.send(message, transaction);
  let resolution: TransactionResolution | undefined;
  try {
    resolution = await localWork();
  } catch {
    resolution = undefined;
  }
  if (resolution === TransactionResolution.COMMIT) await transaction.commit();
  if (resolution === TransactionResolution.ROLLBACK) await transaction.rollback();
  return receipt;
}
