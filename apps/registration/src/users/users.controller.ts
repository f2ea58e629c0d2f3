import { Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ZodBody } from '@rocketmq-shop/service-defaults';
import type { UserView } from './user.entity';
import { UserProfileService } from './user-profile.service';
import { UserRegistrationService } from './user-registration.service';
import { RegisterUserBody, UpdateUserBody } from './user.schemas';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(
    private readonly registration: UserRegistrationService,
    private readonly profiles: UserProfileService,
  ) {}

  /** 201 once the user row is committed and the user-registered message committed (or left to the check-back). */
  @Post()
  async register(@ZodBody(RegisterUserBody) body: RegisterUserBody): Promise<{ userId: string }> {
    return { userId: await this.registration.register(body) };
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) userId: string): Promise<UserView> {
    return this.profiles.get(userId);
  }

  @Put(':id')
  update(@Param('id', ParseUUIDPipe) userId: string, @ZodBody(UpdateUserBody) body: UpdateUserBody): Promise<{ userId: string; version: number }> {
    return this.profiles.update(userId, body);
  }

  @Delete(':id')
  @HttpCode(204)
  delete(@Param('id', ParseUUIDPipe) userId: string): Promise<void> {
    return this.profiles.delete(userId);
  }
}
