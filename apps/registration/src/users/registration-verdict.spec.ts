import { describe, expect, it } from 'vitest';
import { registrationVerdict } from './registration-verdict';

describe('registrationVerdict', () => {
  it('commits whenever the user row exists, however old the half message', () => {
    expect(registrationVerdict({ userExists: true, halfMessageAgeMs: 0, deadlineMs: 5000 })).toBe('commit');
    expect(registrationVerdict({ userExists: true, halfMessageAgeMs: 3_600_000, deadlineMs: 5000 })).toBe('commit');
  });

  it('keeps the broker asking while the local transaction may still commit', () => {
    expect(registrationVerdict({ userExists: false, halfMessageAgeMs: 6000, deadlineMs: 5000 })).toBe('unknown');
    expect(registrationVerdict({ userExists: false, halfMessageAgeMs: 9999, deadlineMs: 5000 })).toBe('unknown');
  });

  it('rolls back once no local transaction can commit any more', () => {
    expect(registrationVerdict({ userExists: false, halfMessageAgeMs: 10_000, deadlineMs: 5000 })).toBe('rollback');
  });
});
