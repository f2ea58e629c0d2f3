import { Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { randomInt, randomUUID } from 'node:crypto';
import type { RegistrationTimeline } from '../../api-contract/scenarios';
import { ShopServices } from '../../upstream/shop-services';

/** The registration panel: a registration, then its welcome email and SMS, each on its own clock. */
@ApiTags('scenarios')
@Controller('api/scenarios/registrations')
export class RegistrationController {
  constructor(private readonly services: ShopServices) {}

  /** Registers a made-up user (unique email, a valid E.164 phone). */
  @Post()
  register(): Promise<{ userId: string }> {
    const tag = randomUUID().slice(0, 8);
    return this.services.request('registration', 'POST', '/users', { email: `console-${tag}@example.com`, phone: `+1555${randomInt(1_000_000, 9_999_999)}`, name: `Console user ${tag}` });
  }

  @Get(':userId')
  async timeline(@Param('userId', ParseUUIDPipe) userId: string): Promise<RegistrationTimeline> {
    const [user, deliveries] = await Promise.all([
      this.services.request<{ registeredAt: string }>('registration', 'GET', `/users/${userId}`),
      this.services.request<RegistrationTimeline['deliveries']>('notification', 'GET', `/deliveries?userId=${userId}`),
    ]);
    return { userId, registeredAt: user.registeredAt, deliveries: deliveries.map(({ channel, sentAt, attempts }) => ({ channel, sentAt, attempts })) };
  }
}
