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

/** POST /users; throws unless 201. */
export async function registerUser(registrationUrl: string, profile: Profile): Promise<string> {
  const { status, body } = await requestJson<{ userId: string }>('POST', `${registrationUrl}/users`, profile);
  if (status !== 201) throw new Error(`POST /users answered ${status}: ${JSON.stringify(body)}`);
  return body.userId;
}
