import { ZodValidationPipe } from '@rocketmq-shop/service-defaults';
import { z } from 'zod';
import { RESOURCE_NAME, RESOURCE_NAME_RULE } from '../api-contract/names';

/** A path's topic, group or trigger name, checked before it reaches an upstream URL. */
export const NamePipe = new ZodValidationPipe(z.string().regex(RESOURCE_NAME, RESOURCE_NAME_RULE));

/** Message ids as clients write them (hex, sometimes with dashes); the broker allows up to 128 characters. */
export const MessageIdPipe = new ZodValidationPipe(z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'message ids match [A-Za-z0-9_-]{1,128}'));
