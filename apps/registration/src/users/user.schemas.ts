import { userRegistered } from '@rocketmq-shop/contracts';
import type { z } from 'zod';

// Picked from the user-registered contract, so an accepted request always yields a valid event.
export const RegisterUserBody = userRegistered.schema.pick({ email: true, phone: true, name: true });
export type RegisterUserBody = z.output<typeof RegisterUserBody>;

export const UpdateUserBody = RegisterUserBody.partial().refine((body) => Object.values(body).some((value) => value !== undefined), {
  message: 'change at least one of email, phone, name',
});
export type UpdateUserBody = z.output<typeof UpdateUserBody>;
