import { randomInt, randomUUID } from 'node:crypto';
import { requestJson } from './http-json';

export interface Profile {
  email: string;
  phone: string;
  name: string;
}

const run = randomUUID().slice(0, 8);

/** A profile no other test run shares, valid for the user contracts (E.164 phone). */
export function newProfile(label: string): Profile {
  return { email: `${label}-${run}@example.com`, phone: `+49151${randomInt(1_000_000, 9_999_999)}`, name: `User ${label}` };
}

const MAX_ATTEMPTS = 5;

/**
 * POST /users as a well-behaved client: a 503 with Retry-After (shed, or a deadline missed on a busy
 * machine: nothing was registered) is tried again after the time the service asks for. Throws unless
 * 201 in the end.
 */
export async function registerUser(registrationUrl: string, profile: Profile): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const { status, body, retryAfter } = await requestJson<{ userId: string }>('POST', `${registrationUrl}/users`, profile);
    if (status === 201) return body.userId;
    if (status !== 503 || retryAfter === null || attempt === MAX_ATTEMPTS) throw new Error(`POST /users answered ${status}: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, Number(retryAfter) * 1000));
  }
}
