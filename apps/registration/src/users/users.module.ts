import { Module } from '@nestjs/common';
import { FaultsModule } from '../faults/faults.module';
import { UserProfileService } from './user-profile.service';
import { UserRegistrationService } from './user-registration.service';
import { UsersController } from './users.controller';

/** Users: registration (transactional message) and profile changes (FIFO lifecycle through the outbox). */
@Module({
  imports: [FaultsModule],
  controllers: [UsersController],
  providers: [UserRegistrationService, UserProfileService],
})
export class UsersModule {}
