import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { asEmailConflict } from './email-conflict';
import { User, type UserView, toUserView } from './user.entity';
import { recordLifecycleEvent } from './user-lifecycle';
import type { UpdateUserBody } from './user.schemas';

/**
 * Reads and changes registered users. Every change bumps the version and enqueues its lifecycle
 * event in the same transaction; the row lock orders concurrent changes of one user, so versions and
 * outbox rows of a user follow the same order.
 */
@Injectable()
export class UserProfileService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async get(userId: string): Promise<UserView> {
    const user = await this.dataSource.getRepository(User).findOneBy({ id: userId });
    if (!user) throw new NotFoundException(`no user ${userId}`);
    return toUserView(user);
  }

  async update(userId: string, changes: UpdateUserBody): Promise<{ userId: string; version: number }> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const user = await this.lockLiveUser(manager, userId);
        for (const [field, value] of Object.entries(changes) as [keyof UpdateUserBody, string | undefined][]) if (value !== undefined) user[field] = value;
        user.version += 1;
        await manager.save(user);
        await recordLifecycleEvent(manager, user, 'UPDATED');
        return { userId, version: user.version };
      });
    } catch (error) {
      throw asEmailConflict(error);
    }
  }

  async delete(userId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const user = await this.lockLiveUser(manager, userId);
      user.version += 1;
      user.deletedAt = new Date();
      await manager.save(user);
      await recordLifecycleEvent(manager, user, 'DELETED');
    });
  }

  private async lockLiveUser(manager: EntityManager, userId: string): Promise<User> {
    const user = await manager.findOne(User, { where: { id: userId }, lock: { mode: 'pessimistic_write' } });
    if (!user) throw new NotFoundException(`no user ${userId}`);
    return user;
  }
}
