import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { InFlightLimit, ShedWhenOverloaded } from '@rocketmq-shop/service-defaults';
import { DataSource } from 'typeorm';
import { FaultsModule } from '../faults/faults.module';
import { RegistrationBatcher } from './registration-batcher';
import { UserProfileService } from './user-profile.service';
import { UserRegistrationService } from './user-registration.service';
import { UsersController } from './users.controller';

/** Users: registration (transactional message) and profile changes (FIFO lifecycle through the outbox). */
@Module({
  imports: [FaultsModule],
  controllers: [UsersController],
  providers: [
    UserRegistrationService,
    UserProfileService,
    { provide: RegistrationBatcher, useFactory: (dataSource: DataSource) => new RegistrationBatcher(dataSource), inject: [DataSource] },
    // Shed by time (ADR 0014's test, ADR 0021): REGISTRATION_QUEUE_BUDGET_MS, default 50 — while a queue longer than that stands,
    // a new registration is told 503 + Retry-After at once, so the admitted ones answer within the 100 ms target;
    // REGISTRATION_MAX_IN_FLIGHT, default 128, caps memory.
    {
      provide: InFlightLimit,
      useFactory: () => InFlightLimit.fromEnv('registrations', 'REGISTRATION_MAX_IN_FLIGHT', 128, { variable: 'REGISTRATION_QUEUE_BUDGET_MS', fallbackMs: 50 }),
    },
  ],
})
export class UsersModule implements NestModule {
  /** The shedding 503 answered before routing: under overload it is most of the answers (ADR 0021). */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ShedWhenOverloaded).forRoutes({ path: 'users', method: RequestMethod.POST });
  }
}
