/** FNV-1a over UTF-16 code units: stable across restarts and processes, cheap, never 0 (0 means "none"). */
export function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0 || 1;
}

/** 0 for a missing value, else its hash32. */
export function optionalHash32(text: string | undefined): number {
  return text === undefined ? 0 : hash32(text);
}

/** A 32-bit Bloom filter of `values` with two bits each, for "may contain" tests before reading a record. */
export function bloom32(values: readonly string[]): number {
  let bits = 0;
  for (const value of values) bits |= bloomBits(value);
  return bits >>> 0;
}

export function bloomBits(value: string): number {
  const hash = hash32(value);
  return ((1 << (hash & 31)) | (1 << ((hash >>> 5) & 31))) >>> 0;
}
