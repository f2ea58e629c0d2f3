/**
 * The last spans of the log read for deliveries, kept as raw bytes. A receive takes up to a batch
 * from one queue, whose records lie between the other queues' records, so one span read covers most
 * of what the next receives (for the next queues) ask for: they decode from here instead of reading
 * the same bytes again. Records are immutable once written, so a cached span never goes stale; spans
 * below the start of the log are dropped when retention deletes segments.
 */
export class SpanCache {
  private spans: { start: number; end: number; data: Buffer }[] = [];
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** The bytes at [position, position + size), when one cached span holds all of them. */
  get(position: number, size: number): Buffer | undefined {
    for (let i = this.spans.length - 1; i >= 0; i--) {
      const span = this.spans[i];
      if (span.start <= position && position + size <= span.end) return span.data.subarray(position - span.start, position - span.start + size);
    }
    return undefined;
  }

  put(start: number, data: Buffer): void {
    if (data.length > this.maxBytes) return;
    this.spans.push({ start, end: start + data.length, data });
    this.bytes += data.length;
    while (this.bytes > this.maxBytes) this.bytes -= this.spans.shift()!.data.length;
  }

  dropBelow(position: number): void {
    this.spans = this.spans.filter((span) => span.start >= position);
    this.bytes = this.spans.reduce((sum, span) => sum + span.data.length, 0);
  }
}
