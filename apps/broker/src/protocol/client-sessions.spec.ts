import { describe, expect, it } from 'vitest';
import { ClientSessions } from './client-sessions';

const ids = (sessions: ClientSessions) => sessions.list().map((session) => session.clientId);

describe('ClientSessions', () => {
  it('beyond its limit forgets the session seen least recently, not the oldest created', () => {
    const sessions = new ClientSessions(3);
    for (const id of ['a', 'b', 'c']) sessions.touch(id);
    sessions.touch('a');
    sessions.touch('d');
    expect(ids(sessions).sort()).toEqual(['a', 'c', 'd']);
    sessions.touch('e');
    expect(ids(sessions).sort()).toEqual(['a', 'd', 'e']);
  });
});
