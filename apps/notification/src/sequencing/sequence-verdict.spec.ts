import { describe, expect, it } from 'vitest';
import { sequenceVerdict } from './sequence-verdict';

describe('sequenceVerdict', () => {
  it('accepts the first event of an entity and each following one', () => {
    expect(sequenceVerdict(0, 1)).toBe('next');
    expect(sequenceVerdict(4, 5)).toBe('next');
  });

  it('recognises a redelivery of the last applied event', () => {
    expect(sequenceVerdict(3, 3)).toBe('duplicate');
  });

  it('tells a skipped version from an old one arriving late', () => {
    expect(sequenceVerdict(0, 2)).toBe('gap');
    expect(sequenceVerdict(3, 7)).toBe('gap');
    expect(sequenceVerdict(5, 2)).toBe('stale');
  });
});
