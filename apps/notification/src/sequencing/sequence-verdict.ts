/**
 * Where an event of a per-entity versioned stream stands against the last version applied:
 * `next` (last + 1, the only one a FIFO stream should ever deliver), `duplicate` (a redelivery of the
 * last one: at-least-once, harmless), `gap` (something was skipped) or `stale` (older than applied).
 */
export type SequenceVerdict = 'next' | 'duplicate' | 'gap' | 'stale';

export function sequenceVerdict(lastVersion: number, version: number): SequenceVerdict {
  if (version === lastVersion + 1) return 'next';
  if (version === lastVersion) return 'duplicate';
  return version > lastVersion ? 'gap' : 'stale';
}
