/**
 * What the broker's check-back hears about a half message of user-registered.
 *
 * A missing row does not always mean "failed": the local transaction may still be running (a slow
 * database, a busy event loop) while the broker asks. Registration rolls its local transaction back
 * when it misses `deadlineMs` (counted from before the half message was sent), so a half message
 * older than twice that without a row can no longer gain one: only then is the answer a rollback.
 */
export function registrationVerdict(input: { userExists: boolean; halfMessageAgeMs: number; deadlineMs: number }): 'commit' | 'rollback' | 'unknown' {
  if (input.userExists) return 'commit';
  return input.halfMessageAgeMs < 2 * input.deadlineMs ? 'unknown' : 'rollback';
}
