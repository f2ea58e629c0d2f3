import { Module } from '@nestjs/common';
import { UserLifecycleHandler } from './user-lifecycle.handler';

/** Contacts: the users' contact details, in the order their changes happened. */
@Module({ controllers: [UserLifecycleHandler] })
export class ContactsModule {}
