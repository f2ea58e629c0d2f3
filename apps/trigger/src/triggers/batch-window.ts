interface Waiting<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers items into batches of at most `size`: a batch leaves when it is full or when the first item
 * of it has waited `windowMs`. Each `add` settles with its batch: resolved when the batch was sent,
 * rejected with the batch's error.
 */
export class BatchWindow<T> {
  private waiting: Waiting<T>[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly size: number,
    private readonly windowMs: number,
    private readonly send: (batch: T[]) => Promise<void>,
  ) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      while (this.waiting.length >= this.size) this.sendBatch(this.waiting.splice(0, this.size));
      if (this.waiting.length === 0) {
        clearTimeout(this.timer);
        this.timer = undefined;
      } else this.timer ??= setTimeout(() => this.windowEnded(), this.windowMs);
    });
  }

  private windowEnded(): void {
    this.timer = undefined;
    while (this.waiting.length > 0) this.sendBatch(this.waiting.splice(0, this.size));
  }

  private sendBatch(batch: Waiting<T>[]): void {
    if (batch.length === 0) return;
    this.send(batch.map((waiting) => waiting.item)).then(
      () => batch.forEach((waiting) => waiting.resolve()),
      (error: unknown) => batch.forEach((waiting) => waiting.reject(error)),
    );
  }
}
