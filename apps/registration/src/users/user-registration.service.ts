import { randomUUID } from 'node:crypto';
import { ConflictException, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InvalidEventError, parseEvent, userRegistered } from '@rocketmq-shop/contracts';
import { ClientRocketMQ, RocketMQTransactionChecker } from '@rocketmq-shop/rocketmq-transport';
import { InFlightLimit } from '@rocketmq-shop/service-defaults';
import type { MessageView } from 'rocketmq-client-nodejs';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { CrashFault } from '../faults/crash-fault';
import { RegistrationBatcher } from './registration-batcher';
import { registrationVerdict } from './registration-verdict';
import { User } from './user.entity';
import type { RegisterUserBody } from './user.schemas';

/** `REGISTRATION_LOCAL_TX_DEADLINE_MS`: how long a registration's local transaction may take before it gives up. */
const LOCAL_TX_DEADLINE_MS = z.coerce.number().int().positive().parse(process.env.REGISTRATION_LOCAL_TX_DEADLINE_MS ?? 5000);

/**
 * Registers a user with a transactional message: half message, then the user row and its CREATED
 * lifecycle event in one local transaction (one statement, shared with concurrent registrations),
 * then commit (or rollback if the transaction failed or the email is taken).
 */
@Injectable()
export class UserRegistrationService {
  private readonly logger = new Logger(UserRegistrationService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly client: ClientRocketMQ,
    private readonly crash: CrashFault,
    private readonly limit: InFlightLimit,
    private readonly batcher: RegistrationBatcher,
  ) {}

  /** Sheds beyond the in-flight limit (503 + Retry-After) instead of queueing, so admitted registrations stay fast. */
  register(body: RegisterUserBody): Promise<string> {
    return this.limit.run(() => this.registerNow(body));
  }

  private async registerNow(body: RegisterUserBody): Promise<string> {
    const userId = randomUUID();
    const event = parseEvent(userRegistered, { userId, ...body, registeredAt: new Date().toISOString() });
    // Counted from before the half message exists, so the checker's window (twice this, from the
    // message's birth) always covers the whole local transaction.
    const deadline = Date.now() + LOCAL_TX_DEADLINE_MS;
    await this.client.sendInTransaction(
      userRegistered.topic,
      event,
      async () => {
        // The local transaction: the user row and its CREATED event, committed with other registrations' (ADR 0026).
        const created = await this.batcher.insert({ id: userId, ...body }, deadline);
        if (!created) throw new ConflictException('a user with this email already exists');
        this.logger.log(`registered user ${userId}`);
        this.crash.maybeCrash(userId);
      },
      { keys: [userId] },
    );
    return userId;
  }

  /** The broker asks about a half message whose commit or rollback it never received. */
  @RocketMQTransactionChecker(userRegistered.topic)
  async checkRegistration(message: MessageView): Promise<'commit' | 'rollback' | 'unknown'> {
    let userId: string;
    try {
      userId = parseEvent(userRegistered, JSON.parse(message.body.toString('utf8'))).userId;
    } catch (error) {
      if (!(error instanceof InvalidEventError || error instanceof SyntaxError)) throw error;
      this.logger.error(`half message ${message.messageId} is not a user-registered event (${error.message}); rolling it back`);
      return 'rollback';
    }
    // A user deleted since still registered: the welcome notifications belong to that registration.
    const userExists = await this.dataSource.getRepository(User).exists({ where: { id: userId }, withDeleted: true });
    const halfMessageAgeMs = Date.now() - (message.bornTimestamp?.getTime() ?? 0);
    return registrationVerdict({ userExists, halfMessageAgeMs, deadlineMs: LOCAL_TX_DEADLINE_MS });
  }
}
