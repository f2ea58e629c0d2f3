import { Module } from '@nestjs/common';
import { InFlightLimit } from '@rocketmq-shop/service-defaults';
import { FaultsModule } from '../faults/faults.module';
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
    // REGISTRATION_MAX_IN_FLIGHT, default 128: beyond it a registration would wait in line; shed it (503 + Retry-After) instead.
    { provide: InFlightLimit, useFactory: () => InFlightLimit.fromEnv('registrations', 'REGISTRATION_MAX_IN_FLIGHT', 128) },
  ],
})
export class UsersModule {}
